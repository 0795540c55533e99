#pragma once
// How the tools behave where the transport makes a difference: whether the caller shares our
// filesystem (stdio) and how much image data one result may carry inline.
#include <chrono>
#include <cstddef>
#include <set>
#include <string>

#include "tools/spend_limits.h"

namespace rdmcp::tools {

struct ToolsConfig {
    // stdio: the agent runs on this machine, so image arguments may be local paths and images
    // may be saved as files. Never over HTTP, where the caller is someone else.
    bool local_files_allowed = false;
    // Save every generated image here (stdio, --output-dir); empty: only when over budget.
    std::string output_dir;
    // Beside each image saved with save_to/filename, a .rd.json saying how it was made
    // (--no-sidecar turns it off).
    bool sidecars = true;
    // Decoded bytes of images one result may carry inline; above it, images become files
    // (stdio) or links, so a client's context is not flooded (one caps a result at 25k tokens).
    std::size_t inline_image_budget_bytes = 512u << 10;
    // How often progress notifications flow while a call waits (for clients that asked).
    std::chrono::milliseconds progress_interval{5000};
    // Mixed into the MAC of job/task ids. Replicas behind one load balancer must share it (or
    // all leave it empty: ids are then bound to the caller's key alone).
    std::string job_secret;
    // Tasks-capable clients: how long create_inference waits for a job inline before it
    // answers with a task instead (animations answer with a task at once).
    std::chrono::milliseconds task_inline_wait{4000};
    // The tool groups offered (tools/toolsets.h); empty: every group.
    std::set<std::string> toolsets;
    // List each tool's outputSchema. Off by default: the schemas are a third of tools/list,
    // which every conversation pays for in context, and only clients that type or validate
    // structured results use them; structuredContent is the same either way.
    bool output_schemas = false;
    // What calls may spend without the human's say (tools/spend_guard.h).
    SpendLimits spend_limits;
};

}  // namespace rdmcp::tools
