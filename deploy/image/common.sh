# Sourced by the image scripts: where images are kept, and how buildah is called here.
#
# No Docker engine runs on the build machines and no container registry can be reached, so
# buildah builds the image (vfs storage, chroot isolation: no daemon, no overlay mounts, no
# user namespaces) in a storage of its own under RDMCP_IMAGE_CACHE, which also keeps the base
# images that make-base-images.sh makes with debootstrap. Deleting that folder starts afresh.

RDMCP_IMAGE_CACHE=${RDMCP_IMAGE_CACHE:-/var/tmp/rdmcp-images}
RDMCP_IMAGE=${RDMCP_IMAGE:-localhost/retrodiffusion-mcp:latest}
RDMCP_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# TMPDIR: buildah's temporary files and its RUN --mount=type=cache folders live there too.
RD_BUILDAH=(env "TMPDIR=$RDMCP_IMAGE_CACHE/tmp"
            buildah --root "$RDMCP_IMAGE_CACHE/storage" --runroot "$RDMCP_IMAGE_CACHE/run"
            --storage-driver vfs)
rd_buildah() {
    mkdir -p "$RDMCP_IMAGE_CACHE/tmp"
    "${RD_BUILDAH[@]}" "$@"
}

rd_log() {
    printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

rd_image_exists() {
    rd_buildah inspect --type image "$1" >/dev/null 2>&1
}

# The URI apt uses for a suite (bookworm, bookworm-security), from the deb822 .sources
# files or the one-line .list files; nothing when apt has none.
rd_apt_mirror() {
    rd_apt_mirrors "$1" | head -n 1
}

rd_apt_mirrors() {
    local suite=$1 file
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        awk -v want="$suite" '
            function flush() {
                if (uris != "" && enabled != "no" && (" " types " ") ~ / deb / &&
                    (" " suites " ") ~ (" " want " ")) {
                    split(uris, first, " "); print first[1]; found = 1; exit
                }
                uris = ""; suites = ""; types = ""; enabled = ""
            }
            function value() { v = $0; sub(/^[^:]*:[ \t]*/, "", v); gsub(/[ \t]+/, " ", v); return v }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            tolower($1) == "uris:" { uris = value() }
            tolower($1) == "suites:" { suites = value() }
            tolower($1) == "types:" { types = value() }
            tolower($1) == "enabled:" { enabled = tolower(value()) }
            END { if (!found) flush() }
        ' "$file"
    done
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$file" ] || continue
        sed -E 's/\[[^]]*\]//' "$file" |
            awk -v want="$suite" '$1 == "deb" && $3 == want { print $2; exit }'
    done
}
