#pragma once
// rd://guides/prompting: how to get good pixel art out of RetroDiffusion, in Markdown. The same
// rules as the server's instructions, with the recipes of the upstream documents, in our words.
#include <string>

namespace rdmcp::tools {

const std::string& prompting_guide_markdown();

}  // namespace rdmcp::tools
