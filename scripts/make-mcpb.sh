#!/usr/bin/env bash
# Builds the MCP Bundle: scripts/make-mcpb.sh <binary> <out-dir>
# Stages <out-dir>/bundle (manifest.json, server/retrodiffusion-mcp, LICENSE, README.md), with the
# manifest written from packaging/mcpb/manifest.template.json and the tools and prompts the
# binary itself lists; validates it and packs it with the official MCPB CLI pinned by
# packaging/mcpb/package-lock.json, into <out-dir>/retrodiffusion-mcp.mcpb.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ $# -ne 2 ]; then
    echo "usage: $0 <binary> <out-dir>" >&2
    exit 2
fi
binary=$1
out=$2
if [ ! -x "$binary" ]; then
    echo "make-mcpb: $binary is not an executable (build it first: make build-release)" >&2
    exit 1
fi
# The manifest declares linux only, so the binary must be a Linux x86-64 executable:
# ELF magic, 64-bit (class 2), e_machine 0x3e (x86-64).
if [ "$(od -An -tx1 -N5 "$binary" | tr -d ' \n')" != 7f454c4602 ] ||
   [ "$(od -An -tx1 -j18 -N2 "$binary" | tr -d ' \n')" != 3e00 ]; then
    echo "make-mcpb: $binary is not a Linux x86-64 (ELF64) executable" >&2
    exit 1
fi
version=$("$here/scripts/version.sh")

# The pinned CLI, installed as scripts/install-deps.sh --with-e2e does.
cli_dir="$here/packaging/mcpb"
if [ ! -d "$cli_dir/node_modules" ] || [ "$cli_dir/package-lock.json" -nt "$cli_dir/node_modules/.package-lock.json" ]; then
    (cd "$cli_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
mcpb="$cli_dir/node_modules/.bin/mcpb"

# The shared libraries the binary needs, and the Debian packages that hold them here, for the
# manifest's platform note.
libraries=()
resolved=$(ldd "$binary")
for soname in $(objdump -p "$binary" | awk '$1 == "NEEDED" { print $2 }'); do
    path=$(awk -v lib="$soname" '$1 == lib && $2 == "=>" { print $3; exit }' <<<"$resolved")
    package=
    # dpkg knows a file by the path its package installed (/lib or /usr/lib, before usrmerge).
    for candidate in ${path:+"$path" "$(readlink -f "$path")"}; do
        package=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1) && break
    done
    libraries+=("$soname${package:+ ($package)}")
done
library_list=$(IFS=,; echo "${libraries[*]}" | sed 's/,/, /g')
# The system the binary was built on and links against, e.g. "Debian 12".
system=$(. /etc/os-release && echo "${NAME%% *} ${VERSION_ID:-}")

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage="$out/bundle"
rm -rf "$stage"
mkdir -p "$stage/server"
install -m 0755 "$binary" "$stage/server/retrodiffusion-mcp"
# The symbol table is of no use to a user; a Release build has no debug sections to keep.
strip --strip-unneeded "$stage/server/retrodiffusion-mcp"
install -m 0644 "$here/LICENSE" "$stage/LICENSE"
install -m 0644 "$here/README.md" "$stage/README.md"
node "$cli_dir/make-manifest.mjs" --template "$cli_dir/manifest.template.json" \
    --binary "$stage/server/retrodiffusion-mcp" --version "$version" --system "$system" --libraries "$library_list" \
    --out "$stage/manifest.json"

"$mcpb" validate "$stage/manifest.json"
bundle="$out/retrodiffusion-mcp.mcpb"
rm -f "$bundle"
"$mcpb" pack "$stage" "$bundle"
echo "make-mcpb: $bundle ($(stat -c %s "$bundle") bytes, version $version)"
