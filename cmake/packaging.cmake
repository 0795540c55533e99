# The Debian package (`make package` → retrodiffusion-mcp_<version>_<arch>.deb), with CPack.
# It carries the server in /usr/bin, a man page made from its --help, the README, the license as
# a machine-readable copyright file, a changelog (a native package's: changelog.gz), and the systemd unit of deploy/systemd as
# an example. Its Depends come from dpkg-shlibdeps (the libraries the binary really links), never
# from a hand-written list. `scripts/test-package.sh` lints and installs it.
include(GNUInstallDirs)

set(RDMCP_PACKAGE_MAINTAINER "retrodiffusion-mcp maintainers <maintainers@retrodiffusion-mcp.invalid>"
    CACHE STRING "The Maintainer field of the Debian package")

install(TARGETS retrodiffusion-mcp RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Debian's documentation directory is named after the package, with no version.
set(rdmcp_docdir ${CMAKE_INSTALL_DATAROOTDIR}/doc/retrodiffusion-mcp)
set(rdmcp_packaging ${CMAKE_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${rdmcp_packaging})

# copyright: the LICENSE text in the copyright-format 1.0 shape (each line indented, an empty
# line as " .").
file(READ ${CMAKE_SOURCE_DIR}/LICENSE rdmcp_license)
string(STRIP "${rdmcp_license}" rdmcp_license)
string(REPLACE "\n\n" "\n.\n" rdmcp_license "${rdmcp_license}")
string(REPLACE "\n" "\n " LICENSE_TEXT " ${rdmcp_license}")
configure_file(${CMAKE_SOURCE_DIR}/packaging/deb/copyright.in ${rdmcp_packaging}/copyright @ONLY)
configure_file(${CMAKE_SOURCE_DIR}/packaging/deb/changelog.in ${rdmcp_packaging}/changelog @ONLY)

# Compressed as Debian policy wants (gzip -9n: no name or time stamp, so the bytes are
# reproducible), and the man page generated from the binary's own --help and --version, so the
# two never disagree.
find_program(GZIP_PROGRAM gzip REQUIRED)
find_program(HELP2MAN_PROGRAM help2man)
add_custom_command(
    OUTPUT ${rdmcp_packaging}/changelog.gz
    COMMAND ${GZIP_PROGRAM} -9n -c ${rdmcp_packaging}/changelog > ${rdmcp_packaging}/changelog.gz
    DEPENDS ${rdmcp_packaging}/changelog
    VERBATIM)
if(HELP2MAN_PROGRAM)
    add_custom_command(
        OUTPUT ${rdmcp_packaging}/retrodiffusion-mcp.1.gz
        COMMAND ${HELP2MAN_PROGRAM} --no-info --section=1
                --name=MCP\ server\ for\ the\ RetroDiffusion\ pixel-art\ API
                --output=${rdmcp_packaging}/retrodiffusion-mcp.1 $<TARGET_FILE:retrodiffusion-mcp>
        COMMAND ${GZIP_PROGRAM} -9nf ${rdmcp_packaging}/retrodiffusion-mcp.1
        DEPENDS retrodiffusion-mcp
        VERBATIM)
    set(rdmcp_manpage ${rdmcp_packaging}/retrodiffusion-mcp.1.gz)
endif()
add_custom_target(package_files DEPENDS ${rdmcp_packaging}/changelog.gz ${rdmcp_manpage})

# The generated files are built by the package_files target (`make package` builds it); a plain
# `cmake --install` of a build without them installs the rest.
install(FILES ${rdmcp_packaging}/copyright ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION ${rdmcp_docdir})
install(FILES ${rdmcp_packaging}/changelog.gz DESTINATION ${rdmcp_docdir} OPTIONAL)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/retrodiffusion-mcp.service
        DESTINATION ${rdmcp_docdir}/examples)
if(rdmcp_manpage)
    install(FILES ${rdmcp_manpage} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME retrodiffusion-mcp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "${RDMCP_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RDMCP_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # retrodiffusion-mcp_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The server verifies api.retrodiffusion.ai against the system's CA store.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "MCP server for the RetroDiffusion pixel-art API")
# The extended description; CPack indents it and writes its empty line as " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "retrodiffusion-mcp gives AI agents (Claude, Codex, Cursor, VS Code and other
Model Context Protocol clients) the RetroDiffusion API with the user's own
key: pixel-art images, animations and tilesets, the canvas edit tools, Pixel
Fixer, Low-Poly 3D models, user styles, balance and status.

It speaks MCP 2026-07-28 and 2025-11-25 over stdio (launched by the client)
and over Streamable HTTP (a hosted service; a systemd unit is in the
examples). Paid calls are never sent twice, and above a limit the user
confirms the price first.")
# cpack's preinstall step would otherwise build every target (the tests too); the package needs
# the server and its generated files alone, which `make package` builds.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
