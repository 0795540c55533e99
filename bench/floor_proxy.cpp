// The floor of the proxy-overhead benchmark: the least a proxy built on the compiled cpp-httplib
// can do. Any POST to /mcp becomes GET /v1/inferences/credits upstream (a keep-alive
// httplib::Client per server thread, the caller's Bearer token as X-RD-Token), and the
// upstream's body is answered as it came: no JSON-RPC, no MCP, no JSON parsing. The server runs
// with cpp-httplib's own defaults except its thread count, raised to ours. bench/run.py times it
// beside the server: the difference is what the MCP layers cost.
//
//   floor_proxy --upstream-url http://127.0.0.1:PORT
// Prints `event=listening url=http://127.0.0.1:PORT/mcp` on stderr once it listens.
#include <httplib.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3 || std::strcmp(argv[1], "--upstream-url") != 0) {
        std::fprintf(stderr, "usage: floor_proxy --upstream-url http://HOST:PORT\n");
        return 2;
    }
    const std::string upstream = argv[2];
    httplib::Server server;
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.set_tcp_nodelay(true);
    server.Post("/mcp", [&upstream](const httplib::Request& request, httplib::Response& response) {
        thread_local std::unique_ptr<httplib::Client> client;
        if (!client) {
            client = std::make_unique<httplib::Client>(upstream);
            client->set_keep_alive(true);
            client->set_tcp_nodelay(true);
        }
        std::string token = request.get_header_value("Authorization");
        if (token.rfind("Bearer ", 0) == 0) token.erase(0, 7);
        auto answer = client->Get("/v1/inferences/credits", {{"X-RD-Token", token}});
        if (!answer) {
            response.status = 502;
            return;
        }
        response.status = answer->status;
        response.set_content(answer->body, "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::fprintf(stderr, "event=listening url=http://127.0.0.1:%d/mcp\n", port);
    return server.listen_after_bind() ? 0 : 1;
}
