#!/usr/bin/env bash
# Installs what building and testing need, and nothing that is already there.
# Debian 12 packages for the C++ build; npm packages (pinned by package-lock.json) for the
# end-to-end tests with the official MCP SDK clients.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

debian_packages=(g++ make cmake pkg-config python3 libcpp-httplib-dev nlohmann-json3-dev libssl-dev doctest-dev openssl
                 nodejs npm ca-certificates)
missing=()
for p in "${debian_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# node and npm may come from outside Debian (as on the development machines): accept any
# node >= 18 on PATH instead of the Debian package.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    filtered=()
    for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--with-e2e" ]; then
    cd "$here/tests/e2e"
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    fi
fi
