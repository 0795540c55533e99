#pragma once
// The RetroDiffusion API's answers that the tools reason about, as typed values read once where
// the answer arrives (nlohmann's from_json idiom: `reply.body.get<JobAdmission>()`). Each member
// is read by type (tools/api_fields.h): one that is missing, null or of another type reads as
// absent, and an answer that is not an object reads as all absent. The images of a generation
// are GeneratedImages (tools/generated_images.h); user styles, UserStyleRecord.
#include <optional>
#include <string>

#include "protocol/json_rpc.h"
#include "tools/generated_images.h"

namespace rdmcp::tools {

// POST /v1/inferences with check_cost: true (the free dry run): the price, and what is left.
struct CostAnswer {
    std::optional<double> balance_cost;       // USD
    std::optional<double> remaining_balance;  // USD
};

void from_json(const protocol::Json& body, CostAnswer& answer);

// POST /v1/inferences with async: true: the job admitted ({"status", "task_id",
// "balance_cost"}). The API may ignore `async` and answer with the images at once.
struct JobAdmission {
    std::optional<std::string> task_id;  // a job; not yet checked as safe for a URL
    std::optional<std::string> status;
    std::optional<double> balance_cost;  // USD
    bool has_images = false;             // base64_images or output_urls: the images at once
};

void from_json(const protocol::Json& body, JobAdmission& answer);

// Why a job failed: the API's `error`: v2 {"status_code", "code", "message", "request_id"}, v1
// {"status_code", "detail"}, or a bare message.
struct JobFailure {
    std::optional<int> status_code;         // an HTTP status (100 to 599), else absent
    std::optional<std::string> detail;      // v1 detail, else v2 message
    std::optional<std::string> code;        // v2 only
    std::optional<std::string> request_id;  // v2 only: what RetroDiffusion support asks for
};

// GET /v1/inferences/tasks/{id}: {"status", "result", "error"}.
struct JobStatusAnswer {
    std::string status;      // "" when the API sent none
    GeneratedImages result;  // once succeeded: the inference answer (label_images names them)
    JobFailure error;        // once failed
};

void from_json(const protocol::Json& body, JobStatusAnswer& answer);

// GET /v1/inferences/credits: {"credits": 0, "balance": 100.75}.
struct BalanceAnswer {
    std::optional<double> balance;  // USD
    std::optional<double> credits;
};

void from_json(const protocol::Json& body, BalanceAnswer& answer);

// A number as JSON: an integer when it is a whole number an integer holds (so credits the API
// sends as 0 read back as 0, not 0.0), else as it is.
protocol::Json number_json(double value);

}  // namespace rdmcp::tools
