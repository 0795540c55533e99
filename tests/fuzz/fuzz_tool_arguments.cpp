// Fuzzes tool argument validation against the real tool input schemas, and what happens to
// arguments that pass: the first byte picks a tool, the rest is its `arguments` as JSON text.
//  - every tool: protocol::validate_against_schema and describe_violations;
//  - the tools that take a generation request: tools::build_inference_request (style checks,
//    image fields resolved with local files off, as over HTTP), which must accept or refuse
//    with a message but never throw on arguments the schema let through;
//  - estimate_inference_cost and list_available_styles: their handlers, which answer offline
//    (no key: the documented price formulas; the catalog is local).
// The upstream client points at a closed port (127.0.0.1:9) and the context has no key, so
// nothing is ever sent: UpstreamClient refuses a call without a key before connecting.
#include <memory>
#include <string_view>

#include "common/base64.h"
#include "protocol/schema_validator.h"
#include "tests/fuzz/require.h"
#include "tools/inference_request.h"
#include "tools/retrodiffusion_tools.h"

using namespace rdmcp;
using protocol::Json;

namespace {

const protocol::ToolRegistry& registry() {
    static const tools::ToolSet set =
        tools::make_tool_set(std::make_shared<const tools::UpstreamClient>(
                                 tools::UpstreamConfig{.base_url = "http://127.0.0.1:9"}),
                             tools::ToolsConfig{});
    return set.registry;
}

bool takes_generation_request(const std::string& name) {
    return name == "create_inference" || name == "estimate_inference_cost" ||
           name == "start_inference_job";
}

void check_request(const tools::InferenceRequest& request) {
    FUZZ_REQUIRE(request.width >= 16 && request.width <= 512);
    FUZZ_REQUIRE(request.height >= 16 && request.height <= 512);
    const Json body = tools::upstream_body(request);
    FUZZ_REQUIRE(body["prompt_style"] == request.prompt_style);
    FUZZ_REQUIRE(!body.contains(tools::kOutputDirArgument));
    for (const char* ours :
         {tools::kSaveToArgument, tools::kFilenameArgument, tools::kFramesArgument}) {
        FUZZ_REQUIRE(!body.contains(ours));  // the server's own, never the API's
    }
    for (const char* field : {"input_image", "extra_input_image", "input_palette"}) {
        FUZZ_REQUIRE(!body.contains(field));  // images travel apart (JsonPieces)
        if (auto it = request.images.find(field); it != request.images.end() && it->is_string()) {
            FUZZ_REQUIRE(rdmcp::base64_validate(it->get<std::string>()).value_or(0) > 0);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& tools = registry().tools();
    const auto& tool = tools[data[0] % tools.size()];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (protocol::nesting_depth(text, 32) > 32) return 0;  // decode() refuses these first
    const Json arguments = Json::parse(text, nullptr, false);
    if (arguments.is_discarded() || !arguments.is_object()) return 0;  // call_tool refuses these

    const auto violations =
        protocol::validate_against_schema(arguments, tool.definition.input_schema);
    const std::string described = protocol::describe_violations(violations);
    FUZZ_REQUIRE(violations.empty() == described.empty());
    if (!violations.empty()) return 0;

    const auto& name = tool.definition.name;
    if (takes_generation_request(name)) {
        auto built = tools::build_inference_request(arguments, {.allow_local_files = false});
        if (auto* request = std::get_if<tools::InferenceRequest>(&built))
            check_request(*request);
        else
            FUZZ_REQUIRE(!std::get<std::string>(built).empty());
    }
    if (name == "estimate_inference_cost" || name == "list_available_styles" ||
        name == "extract_palette") {
        protocol::RequestContext context;  // no key: nothing is sent upstream
        auto result = tool.handler(arguments, context).to_json();
        FUZZ_REQUIRE(result["content"].is_array() && !result["content"].empty());
        result.dump(-1, ' ', false, Json::error_handler_t::replace);  // as the transports encode it
    }
    return 0;
}
