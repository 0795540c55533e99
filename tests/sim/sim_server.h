#pragma once
// Assembles the simulated RetroDiffusion API: one httplib server (HTTPS when given a
// certificate), every route, and the shared state.
#include <httplib.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sim_routes.h"
#include "sim_state.h"

namespace rdsim {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    int latency_ms = 0;
    int async_duration_ms = 1000;
    std::map<std::string, Micros> keys;
    std::string tls_cert;
    std::string tls_key;
    bool verbose = false;  // one stderr line per request
};

class SimServer {
  public:
    explicit SimServer(ServerOptions options);
    ~SimServer();
    SimServer(const SimServer&) = delete;
    SimServer& operator=(const SimServer&) = delete;

    // Binds the socket and returns the base URL, or nullopt with `error` set.
    std::optional<std::string> bind(std::string& error);
    bool run();   // serves until stop()
    void stop();  // safe from another thread

  private:
    void install_routes();

    ServerOptions options_;
    State state_;
    Ctx ctx_;
    std::unique_ptr<httplib::Server> server_;
};

}  // namespace rdsim
