#!/usr/bin/env bash
# Checks the Debian package `make package` made: lintian finds no error or warning, it holds what
# it should, its Depends were computed, and once installed (dpkg -i as root; otherwise unpacked
# into a throw-away root) the server answers --version and an MCP session over stdio.
#   scripts/test-package.sh <release build directory>
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
release_dir=${1:?usage: test-package.sh <release build directory>}
version=$("$here/scripts/version.sh")
arch=$(dpkg --print-architecture)
deb="$release_dir/retrodiffusion-mcp_${version}_${arch}.deb"
fail() { echo "test-package: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "no $deb (run make package)"

# Debian's own checks: any error or warning fails (informational hints do not).
lint_status=0
lint=$(lintian --fail-on error,warning "$deb" 2>&1) || lint_status=$?
grep -v 'running with root privileges' <<<"$lint" || true
[ "$lint_status" = 0 ] || fail "lintian reports errors or warnings"

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/retrodiffusion-mcp ./usr/share/man/man1/retrodiffusion-mcp.1.gz \
            ./usr/share/doc/retrodiffusion-mcp/copyright ./usr/share/doc/retrodiffusion-mcp/changelog.gz \
            ./usr/share/doc/retrodiffusion-mcp/README.md \
            ./usr/share/doc/retrodiffusion-mcp/examples/retrodiffusion-mcp.service; do
    grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version is not $version"
# Depends is dpkg-shlibdeps' reading of the binary: every library it links is there.
depends=$(dpkg-deb -f "$deb" Depends)
for library in libcpp-httplib0.11 libssl3 libpng16-16 libgif7 libstdc++6 libc6; do
    grep -q "$library" <<<"$depends" || fail "Depends lacks $library: $depends"
done

# Installed: as root on this machine (dpkg checks Depends), else unpacked into a throw-away root.
scratch=$(mktemp -d)
installed=0
cleanup() {
    if [ "$installed" = 1 ]; then dpkg --purge retrodiffusion-mcp >/dev/null; fi
    rm -rf "$scratch"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then
    dpkg -i "$deb" >/dev/null
    installed=1
    binary=/usr/bin/retrodiffusion-mcp
    # (Not the man page on disk: container images often exclude /usr/share/man from dpkg;
    # the package's file list above holds it.)
    [ "$(dpkg-query -W -f='${Status}' retrodiffusion-mcp)" = "install ok installed" ] ||
        fail "dpkg does not hold the package as installed"
else
    dpkg-deb -x "$deb" "$scratch/root"
    binary=$scratch/root/usr/bin/retrodiffusion-mcp
fi
[ "$("$binary" --version)" = "retrodiffusion-mcp $version" ] || fail "--version is not $version"

# An MCP session over stdio: initialize, initialized, tools/list and prompts/list.
python3 - "$binary" "$version" <<'PY'
import json, subprocess, sys
binary, version = sys.argv[1], sys.argv[2]
server = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          env={"RD_API_KEY": "rdpk-package-test", "PATH": "/usr/bin:/bin"},
                          text=True)
def send(message):
    server.stdin.write(json.dumps(message) + "\n")
    server.stdin.flush()
def answer(request_id):
    for line in server.stdout:
        message = json.loads(line)
        if message.get("id") == request_id:
            return message
    sys.exit("test-package: the server closed stdout before answering %s" % request_id)
send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                 "clientInfo": {"name": "test-package", "version": "1"}}})
init = answer(1)["result"]
assert init["serverInfo"]["version"] == version, init["serverInfo"]
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
tools = [tool["name"] for tool in answer(2)["result"]["tools"]]
assert "create_inference" in tools and "get_balance" in tools, tools
send({"jsonrpc": "2.0", "id": 3, "method": "prompts/list"})
prompts = answer(3)["result"]["prompts"]
assert prompts, "no prompts"
server.stdin.close()
assert server.wait(timeout=10) == 0, "the server did not exit cleanly at end of input"
print("test-package: installed server answered %d tools and %d prompts" % (len(tools), len(prompts)))
PY
echo "test-package: $deb passed (lintian clean, installed, MCP over stdio)"
