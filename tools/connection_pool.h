#pragma once
// Idle keep-alive connections to the API, so a call does not pay a TCP and TLS handshake.
// Each httplib::Client holds one connection and serves one call at a time.
//
// Over HTTPS every httplib::Client has its own SSL_CTX, which by default parses the whole
// system CA bundle into its own certificate store: about 1 MB and a few milliseconds of CPU per
// new connection, i.e. per call in flight beyond the idle ones. The pool loads the trusted CAs
// once, into one store that every client's SSL_CTX shares (reference-counted by OpenSSL). It
// is loaded with the first connection, not at start-up: a stdio server is launched per agent
// session, and parsing the bundle would delay its first answer by milliseconds.
#include <httplib.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tools/upstream_client.h"

namespace rdmcp::tools {

class ConnectionPool {
  public:
    ConnectionPool(std::string origin, const UpstreamConfig& config)
        : origin_(std::move(origin)), config_(config) {}

    std::unique_ptr<httplib::Client> acquire() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto client = std::move(idle_.back());
                idle_.pop_back();
                return client;
            }
        }
        return connect();
    }

    void release(std::unique_ptr<httplib::Client> client) {
        std::lock_guard lock(mutex_);
        if (idle_.size() < config_.max_idle_connections) idle_.push_back(std::move(client));
    }

  private:
    struct StoreFree {
        void operator()(X509_STORE* store) const { X509_STORE_free(store); }
    };
    using Store = std::unique_ptr<X509_STORE, StoreFree>;

    // The CAs --upstream-ca-file names, or the system's (SSL_CERT_FILE/SSL_CERT_DIR honoured), as
    // SSL_CTX_load_verify_locations / SSL_CTX_set_default_verify_paths would load them.
    Store load_trusted_cas() const {
        Store store(X509_STORE_new());
        if (!store) return nullptr;
        const bool loaded =
            config_.ca_file.empty()
                ? X509_STORE_set_default_paths(store.get()) == 1
                : X509_STORE_load_locations(store.get(), config_.ca_file.c_str(), nullptr) == 1;
        if (!loaded) return nullptr;  // each client loads its own, and reports what fails
        return store;
    }

    std::unique_ptr<httplib::Client> connect() {
        std::call_once(trusted_loaded_, [this] {
            if (origin_.rfind("https://", 0) == 0) trusted_ = load_trusted_cas();
        });
        auto client = std::make_unique<httplib::Client>(origin_);
        client->set_connection_timeout(config_.connect_timeout);
        client->set_read_timeout(config_.read_timeout);
        client->set_write_timeout(std::chrono::seconds(60));
        client->set_keep_alive(true);
        // cpp-httplib writes a request's headers and body separately: with Nagle's algorithm
        // the body would wait for the API's delayed ACK of the headers (40 ms on Linux).
        client->set_tcp_nodelay(true);
        client->set_follow_location(false);
        client->enable_server_certificate_verification(true);
        if (trusted_ && X509_STORE_up_ref(trusted_.get()) == 1) {
            client->set_ca_cert_store(trusted_.get());  // the client's SSL_CTX holds one reference
            // cpp-httplib loads CAs into the store on the first connection: point it at what is
            // already there (a directory lookup is added once and costs nothing to repeat; a
            // file would be parsed again), so nothing is loaded twice.
            if (config_.ca_file.empty()) {
                client->set_ca_cert_path("", default_cert_dir().c_str());
            } else {
                client->set_ca_cert_path(config_.ca_file);
            }
        } else if (!config_.ca_file.empty()) {
            client->set_ca_cert_path(config_.ca_file);
        }
        return client;
    }

    static std::string default_cert_dir() {
        const char* from_environment = std::getenv(X509_get_default_cert_dir_env());
        return from_environment && *from_environment ? from_environment
                                                     : X509_get_default_cert_dir();
    }

    const std::string origin_;
    const UpstreamConfig config_;
    std::once_flag trusted_loaded_;
    Store trusted_;  // null for plain HTTP, or if loading failed
    std::mutex mutex_;
    std::vector<std::unique_ptr<httplib::Client>> idle_;
};

}  // namespace rdmcp::tools
