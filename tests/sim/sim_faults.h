#pragma once
// Injected faults (POST /_sim/fail_next): the answer a faulted request gets instead of its
// real one, or no answer at all.
#include <httplib.h>

#include "sim_routes.h"
#include "sim_state.h"

namespace rdsim {

// Waits the rule's delay, then writes its status, body and headers into `res`. On /v2/ the
// default body is the canonical envelope (with X-Request-ID); an explicit body or raw is sent
// as given. A `reset` rule instead closes the connection, so the client gets no answer.
void apply_fault(Ctx& ctx, const FailRule& rule, const httplib::Request& req,
                 httplib::Response& res, const Call& call);

}  // namespace rdsim
