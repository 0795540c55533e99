#!/usr/bin/env bash
# Prints the one version number: CMakeLists.txt's project(retrodiffusion-mcp VERSION x.y.z).
set -euo pipefail
sed -n 's/^project(retrodiffusion-mcp VERSION \([0-9][0-9.]*\).*/\1/p' \
    "$(cd "$(dirname "$0")/.." && pwd)/CMakeLists.txt"
