#include "server/http/listener.h"

namespace rdmcp::server {

ConnectionLimits connection_limits(const HttpOptions& options) {
    ConnectionLimits limits;
    limits.head.budget = {options.max_header_bytes, options.max_header_lines};
    limits.head.head_timeout = options.header_timeout;
    limits.head.idle_timeout = options.keep_alive_timeout;
    limits.stream.read = options.client_timeout;
    limits.stream.write = options.client_timeout;
    limits.stream.body = options.body_timeout;
    limits.max_requests = options.keep_alive_max_requests;
    limits.max_discard = 2 * options.max_body_bytes;
    return limits;
}

}  // namespace rdmcp::server
