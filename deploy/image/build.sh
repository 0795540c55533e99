#!/usr/bin/env bash
# Builds the image from the Dockerfile at the root with buildah, from the base images that
# make-base-images.sh makes (nothing is pulled), and prints its size.
#
#   deploy/image/build.sh            # or: make image
#
# The image lands in buildah's storage under RDMCP_IMAGE_CACHE (common.sh) as RDMCP_IMAGE
# (localhost/retrodiffusion-mcp:latest). To take it elsewhere:
#   buildah --root /var/tmp/rdmcp-images/storage --runroot /var/tmp/rdmcp-images/run \
#       --storage-driver vfs push localhost/retrodiffusion-mcp:latest docker-archive:rdmcp.tar
#   docker load -i rdmcp.tar
set -euo pipefail
source "$(dirname "$0")/common.sh"

started=$SECONDS
"$(dirname "$0")/make-base-images.sh"

rd_log "image: building $RDMCP_IMAGE from $RDMCP_SOURCE_DIR/Dockerfile"
# --format docker keeps the HEALTHCHECK, which the OCI image format has no field for.
# The image's version label is the project's one version (CMakeLists.txt).
rd_buildah build --pull=never --isolation chroot --format docker --layers=false \
    --build-arg "RDMCP_VERSION=$("$RDMCP_SOURCE_DIR/scripts/version.sh")" \
    --file "$RDMCP_SOURCE_DIR/Dockerfile" --tag "$RDMCP_IMAGE" "$RDMCP_SOURCE_DIR"

# Earlier builds of the same tag, now untagged, would fill the vfs storage.
rd_buildah rmi --prune >/dev/null 2>&1 || true
size=$(rd_buildah images --noheading --format '{{.Size}}' "$RDMCP_IMAGE" | head -n 1)
rd_log "image: $RDMCP_IMAGE is $size (uncompressed), built in $((SECONDS - started)) s"
