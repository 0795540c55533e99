#pragma once
// Tiny but well-formed files for Low-Poly models and exports: a binary glTF (.glb), a
// Blockbench model, a stored (uncompressed) zip and an MP4 header. Their first bytes are those
// of the real formats, so a client can tell what it downloaded.
#include <string>
#include <utility>
#include <vector>

namespace rdsim {

// A glTF 2.0 binary: 12-byte header ("glTF", version 2, length) and one JSON chunk naming
// the model and its animations.
std::string make_glb(const std::string& name, const std::vector<std::string>& animations);
std::string make_bbmodel(const std::string& name);
// A zip of the given (file name, bytes) entries, stored without compression.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries);
// An ISO base-media file: an "ftyp" box (isom/mp41) and an empty "mdat" box.
std::string make_mp4();

}  // namespace rdsim
