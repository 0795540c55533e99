#pragma once
// Idempotency keys for paid v2 submissions: one per tool call, sent with every attempt of that
// submission, so the API charges it once however often its answer is lost and asked for again.
#include <string>

namespace rdmcp::tools {

// "rdmcp-" and 128 random bits from OpenSSL's CSPRNG in hex (38 visible ASCII characters; the
// API takes 1-256). Unguessable, so no other caller's submission can collide with it.
std::string new_idempotency_key();

}  // namespace rdmcp::tools
