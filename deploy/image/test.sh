#!/usr/bin/env bash
# Runs the image that build.sh made and talks MCP to it over HTTP, as a hosted deployment's
# clients would (`make test-image`). On this machine's loopback:
#   - rd-sim, the simulated RetroDiffusion API (build/tests/rd-sim), which the replicas call;
#   - replica A: `buildah run` of the image's entrypoint with its environment and user;
#   - replica B: the same image with a read-only root filesystem and a tmpfs on /tmp, started
#     with unshare + chroot as its user, so anything written outside /tmp would fail;
# both share a job secret. The image's HEALTHCHECK command runs inside the image, and
# tests/e2e/image_http.mjs drives both replicas with the official SDK clients (both protocol
# generations, every tool, a job started on A and finished on B). Both servers must stop on
# SIGTERM with status 0.
# Then the image as a stdio server, `docker run -i --rm -e RD_API_KEY <image> --transport stdio`:
# tests/e2e/image_stdio.mjs has both SDK clients launch a command that does just that (read-only
# root, /tmp writable, the image's user and environment, RD_API_KEY handed on by name).
set -euo pipefail
source "$(dirname "$0")/common.sh"

build_dir=${BUILD_DIR:-$RDMCP_SOURCE_DIR/build}
sim_binary=${RD_SIM_BINARY:-$build_dir/tests/rd-sim}
e2e_dir="$RDMCP_SOURCE_DIR/tests/e2e"
[ -x "$sim_binary" ] || { echo "test-image: $sim_binary is missing: run make build" >&2; exit 1; }
[ -d "$e2e_dir/node_modules" ] || { echo "test-image: run scripts/install-deps.sh --with-e2e" >&2; exit 1; }
rd_image_exists "$RDMCP_IMAGE" || { echo "test-image: no image $RDMCP_IMAGE: run make image" >&2; exit 1; }

started=$SECONDS
work=$(mktemp -d)
pids=()
containers=()
mounted=()
cleanup() {
    local pid c
    for pid in "${pids[@]+"${pids[@]}"}"; do
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    for c in "${mounted[@]+"${mounted[@]}"}"; do rd_buildah umount "$c" >/dev/null 2>&1 || true; done
    for c in "${containers[@]+"${containers[@]}"}"; do rd_buildah rm "$c" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "test-image: FAILED: $*" >&2
    local log
    for log in "$work"/*.log; do
        [ -s "$log" ] && { echo "--- $(basename "$log") (last lines)" >&2; tail -n 40 "$log" >&2; }
    done
    exit 1
}

# Waits for a line matching $2 (an extended regex) in file $1; prints the first capture group.
wait_for_line() {
    local file=$1 pattern=$2 what=$3 pid=$4 deadline=$((SECONDS + 30)) line
    while [ $SECONDS -lt $deadline ]; do
        line=$(grep -m1 -oE "$pattern" "$file" 2>/dev/null || true)
        if [ -n "$line" ]; then
            sed -E "s#$pattern#\\1#" <<<"$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || fail "$what exited before it listened"
        sleep 0.1
    done
    fail "$what printed no listening line in 30 s"
}

# The pid of the server process in session $1 (each replica runs in a session of its own).
server_pid() {
    local sid=$1 file line fields
    for file in /proc/[0-9]*/stat; do
        read -r line 2>/dev/null <"$file" || continue
        fields=(${line##*) })
        [ "${fields[3]}" = "$sid" ] || continue
        case "${line#*(}" in
            retrodiffusion-*) file=${file#/proc/}; echo "${file%/stat}"; return 0 ;;
        esac
    done
    return 1
}

# rd-sim: short async jobs, so a job started on one replica finishes quickly on the other.
setsid "$sim_binary" --port 0 --async-duration-ms 1500 >"$work/rd-sim.out" 2>"$work/rd-sim.log" &
pids+=($!)
sim_url=$(wait_for_line "$work/rd-sim.out" '^listening on (http://127\.0\.0\.1:[0-9]+)$' rd-sim "${pids[-1]}")

rd_buildah inspect --type image "$RDMCP_IMAGE" >"$work/image.json"
mapfile -t entrypoint < <(python3 -c 'import json, sys
for arg in json.load(open(sys.argv[1]))["Docker"]["config"]["Entrypoint"]: print(arg)' "$work/image.json")
mapfile -t image_env < <(python3 -c 'import json, sys
for entry in json.load(open(sys.argv[1]))["Docker"]["config"]["Env"]: print(entry)' "$work/image.json")
user=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Docker"]["config"]["User"])' "$work/image.json")

# What this test changes from the image's settings: loopback (not 0.0.0.0) and a free port
# (the server prints it), the simulated API, a job secret both replicas share.
secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
settings=(RD_MCP_HOST=127.0.0.1 RD_MCP_PORT=0 "RD_API_BASE_URL=$sim_url" "RD_MCP_JOB_SECRET=$secret"
          RD_MCP_LOG_LEVEL=debug)
listening='event=listening url=(http://127\.0\.0\.1:[0-9]+/mcp)'

# Replica A: buildah run, which applies the image's environment and user itself.
container_a=$(rd_buildah from --pull=never "$RDMCP_IMAGE")
containers+=("$container_a")
env_flags=()
for setting in "${settings[@]}"; do env_flags+=(--env "$setting"); done
setsid "${RD_BUILDAH[@]}" run --isolation chroot "${env_flags[@]}" "$container_a" -- "${entrypoint[@]}" \
    >"$work/replica-a.log" 2>&1 &
pids+=($!)
pid_a=$!
url_a=$(wait_for_line "$work/replica-a.log" "$listening" "replica A" "$pid_a")

# Runs a command in an image's root as a container engine would with --read-only --tmpfs /tmp:
# the root read-only, a tmpfs on /tmp, /dev with the usual four devices, /proc, as the user.
#   run-read-only.sh <root> <user> <command...>
cat >"$work/run-read-only.sh" <<'SCRIPT'
#!/usr/bin/env bash
exec unshare --mount --propagation private -- bash -c '
    set -e
    root=$1 user=$2
    shift 2
    mount --bind "$root" "$root"
    mount -o remount,bind,ro "$root"
    mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev tmpfs "$root/tmp"
    mount -t tmpfs -o size=64k,mode=755,nosuid tmpfs "$root/dev"
    for device in null zero random urandom; do
        touch "$root/dev/$device"
        mount --bind "/dev/$device" "$root/dev/$device"
    done
    mount -t proc proc "$root/proc"
    exec chroot --userspec="$user" "$root" "$@"
' run-read-only "$@"
SCRIPT
chmod +x "$work/run-read-only.sh"

# Replica B: the image's root read-only, a tmpfs on /tmp, /dev with the usual four devices, as
# the image's user, with the image's environment and entrypoint.
container_b=$(rd_buildah from --pull=never "$RDMCP_IMAGE")
containers+=("$container_b")
root_b=$(rd_buildah mount "$container_b")
mounted+=("$container_b")
setsid "$work/run-read-only.sh" "$root_b" "$user" \
    /usr/bin/env -i "${image_env[@]}" "${settings[@]}" "${entrypoint[@]}" >"$work/replica-b.log" 2>&1 &
pids+=($!)
pid_b=$!
url_b=$(wait_for_line "$work/replica-b.log" "$listening" "replica B" "$pid_b")
rd_log "test-image: rd-sim at $sim_url; replica A at $url_a; replica B (read-only root) at $url_b"

for replica in a b; do
    pid_var=pid_$replica
    server=$(server_pid "${!pid_var}") || fail "replica ${replica^^}: no server process found"
    declare "server_$replica=$server"
    uid=$(awk '/^Uid:/ { print $2 }' "/proc/$server/status")
    [ "$uid" = "${user%%:*}" ] || fail "replica ${replica^^} runs as uid $uid, not as the image's user $user"
done
echo "ok - both replicas run as uid ${user%%:*}"

# The HEALTHCHECK command, inside the image: healthy against A, unhealthy where nothing listens.
port_a=${url_a##*:}
port_a=${port_a%%/*}
rd_buildah run --isolation chroot --env RD_MCP_HOST=127.0.0.1 --env "RD_MCP_PORT=$port_a" "$container_a" \
    -- /usr/local/bin/rdmcp-healthcheck >"$work/healthcheck.log" 2>&1 || fail "the HEALTHCHECK failed against replica A"
if rd_buildah run --isolation chroot --env RD_MCP_HOST=127.0.0.1 --env RD_MCP_PORT=1 "$container_a" \
    -- /usr/local/bin/rdmcp-healthcheck >>"$work/healthcheck.log" 2>&1; then
    fail "the HEALTHCHECK passed with no server listening"
fi
echo "ok - the image's HEALTHCHECK command passes against a replica and fails without one"

(cd "$e2e_dir" && RD_IMAGE_URLS="$url_a,$url_b" RD_SIM_URL="$sim_url" RD_IMAGE_CONFIG="$work/image.json" \
    node --test --test-reporter=spec image_http.mjs) || fail "the MCP session against the image failed"

# SIGTERM to each server process, as a container engine sends it to the container's first
# process (buildah itself would answer SIGTERM with SIGKILL): each drains and exits 0.
for replica in a b; do
    pid_var=pid_$replica
    server_var=server_$replica
    kill -TERM "${!server_var}"
    deadline=$((SECONDS + 30))
    while kill -0 "${!pid_var}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    kill -0 "${!pid_var}" 2>/dev/null && fail "replica ${replica^^} still runs 30 s after SIGTERM"
    status=0
    wait "${!pid_var}" || status=$?
    [ "$status" = 0 ] || fail "replica ${replica^^} exited with status $status after SIGTERM"
done
echo "ok - both replicas exit 0 on SIGTERM"

# `docker run -i --rm -e RD_API_KEY <image> [args]` without a Docker engine: the image's root
# (replica B's mount) read-only with a tmpfs on /tmp, its user, its environment plus RD_API_KEY
# handed on by name, its entrypoint with the arguments after it; stdin and stdout pass through.
# RD_API_BASE_URL points the server at rd-sim, as `-e RD_API_BASE_URL=...` would.
cat >"$work/docker-run-i.sh" <<SCRIPT
#!/usr/bin/env bash
set -euo pipefail
key_setting=()
[ -n "\${RD_API_KEY+set}" ] && key_setting=("RD_API_KEY=\$RD_API_KEY")
exec "$work/run-read-only.sh" "$root_b" "$user" /usr/bin/env -i $(printf '%q ' "${image_env[@]}") \
    "RD_API_BASE_URL=$sim_url" "\${key_setting[@]}" $(printf '%q ' "${entrypoint[@]}") "\$@"
SCRIPT
chmod +x "$work/docker-run-i.sh"
(cd "$e2e_dir" && RD_IMAGE_STDIO="$work/docker-run-i.sh" RD_SIM_URL="$sim_url" \
    node --test --test-reporter=spec image_stdio.mjs) || fail "the MCP session with the image over stdio failed"
echo "ok - the image serves MCP over stdio as docker run -i --rm -e RD_API_KEY <image> --transport stdio"
rd_log "test-image: passed in $((SECONDS - started)) s"
