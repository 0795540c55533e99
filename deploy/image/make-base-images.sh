#!/usr/bin/env bash
# Makes the base images the Dockerfile starts from, debian:bookworm and debian:bookworm-slim,
# since no registry can be reached: one `debootstrap --variant=minbase bookworm` from the mirror
# apt already uses, committed with buildah under the official names. Both are kept in the image
# cache (common.sh) and made again only when missing or when this recipe changes.
#
# debian:bookworm-slim: minbase without documentation, manual pages and translations, and a
#   dpkg configuration that keeps them out of later installs, as the official slim image does.
# debian:bookworm: the same system, plus the build stage's packages already installed to save
#   time (the Dockerfile still installs what it needs with apt, which then has little to do).
#
# Environment: RDMCP_IMAGE_CACHE (default /var/tmp/rdmcp-images), RDMCP_DEBIAN_MIRROR and
# RDMCP_DEBIAN_SECURITY_MIRROR (default: what apt uses here, else deb.debian.org).
set -euo pipefail
source "$(dirname "$0")/common.sh"

BUILD_PACKAGES=(g++ make cmake pkg-config ccache libcpp-httplib-dev nlohmann-json3-dev libssl-dev doctest-dev
                libpng-dev libgif-dev)
SLIM=docker.io/library/debian:bookworm-slim
FULL=docker.io/library/debian:bookworm

mirror=${RDMCP_DEBIAN_MIRROR:-$(rd_apt_mirror bookworm)}
mirror=${mirror:-http://deb.debian.org/debian}
security_mirror=${RDMCP_DEBIAN_SECURITY_MIRROR:-$(rd_apt_mirror bookworm-security)}
security_mirror=${security_mirror:-http://deb.debian.org/debian-security}

# What the images are made from: a change here makes them again.
recipe=$( { cat "$0"; echo "$mirror $security_mirror"; } | sha256sum | cut -c1-16)
stamp="$RDMCP_IMAGE_CACHE/base-images.recipe"
if rd_image_exists "$SLIM" && rd_image_exists "$FULL" && [ "$(cat "$stamp" 2>/dev/null)" = "$recipe" ]; then
    rd_log "base images: $SLIM and $FULL are cached in $RDMCP_IMAGE_CACHE"
    exit 0
fi
mkdir -p "$RDMCP_IMAGE_CACHE"
rm -f "$stamp"

work=$(mktemp -d "$RDMCP_IMAGE_CACHE/make-base.XXXXXX")
containers=()
cleanup() {
    local c
    for c in "${containers[@]+"${containers[@]}"}"; do rd_buildah rm "$c" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT

rootfs="$work/rootfs"
rd_log "base images: debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
}

# The official images' apt setup: deb822 sources with updates and security, no downloaded
# packages or lists left behind, no translations.
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/var/cache/ldconfig/aux-cache
# buildah and container engines provide these at run time.
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"

# Commits a root filesystem (a folder) as a single-layer image named $2, brought up to date
# from bookworm-updates and bookworm-security (as the official images are at each rebuild),
# with the packages named after it installed.
commit_rootfs() {
    local dir=$1 name=$2 container mountpoint
    shift 2
    container=$(rd_buildah from --pull=never scratch)
    containers+=("$container")
    mountpoint=$(rd_buildah mount "$container")
    tar -C "$dir" -cf - . | tar -C "$mountpoint" -xpf -
    rd_buildah umount "$container" >/dev/null
    rd_buildah config --cmd '["bash"]' \
        --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
    rd_buildah run --isolation chroot --env DEBIAN_FRONTEND=noninteractive --env DEBCONF_NOWARNINGS=yes "$container" -- sh -c "
        apt-get update -qq && apt-get upgrade -y -qq >/dev/null \
        && { [ \$# -eq 0 ] || apt-get install -y -qq --no-install-recommends \"\$@\" >/dev/null; } \
        && rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/dpkg.log /var/cache/debconf/*-old" \
        sh "$@"
    rd_buildah commit --quiet --squash --format docker "$container" "$name" >/dev/null
    rd_buildah rm "$container" >/dev/null
}

rd_log "base images: committing $FULL (with ${BUILD_PACKAGES[*]})"
commit_rootfs "$rootfs" "$FULL" "${BUILD_PACKAGES[@]}"

rd_log "base images: committing $SLIM"
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# As in the official slim images: no documentation, manual pages or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/groff/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/lintian/* "$rootfs"/usr/share/linda/*
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
commit_rootfs "$rootfs" "$SLIM"

rd_buildah rmi --prune >/dev/null 2>&1 || true
echo "$recipe" >"$stamp"
rd_log "base images: ready ($(rd_buildah images --noheading --format '{{.Name}}:{{.Tag}} {{.Size}}' | grep -F 'debian' | paste -sd ',' -))"
