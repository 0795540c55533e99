#pragma once
// The image input policies the request builders are checked under, with the default size limit:
// a remote client's, whose server may not read its files, and a stdio client's, whose may.
#include "tools/image_input.h"

namespace rdmcp::testing {

inline const tools::ImageInputPolicy kRemote{.allow_local_files = false};
inline const tools::ImageInputPolicy kStdio{.allow_local_files = true};

}  // namespace rdmcp::testing
