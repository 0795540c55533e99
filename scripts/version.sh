#!/usr/bin/env bash
# Prints the project's version, the one number every artefact carries: CMakeLists.txt's
# project(retrodiffusion-mcp VERSION x.y.z), which also feeds --version and serverInfo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -nE 's/^project\(retrodiffusion-mcp VERSION ([0-9]+\.[0-9]+\.[0-9]+)[ )].*/\1/p' \
          "$here/CMakeLists.txt")
if [ -z "$version" ]; then
    echo "version.sh: no project(retrodiffusion-mcp VERSION x.y.z) in CMakeLists.txt" >&2
    exit 1
fi
echo "$version"
