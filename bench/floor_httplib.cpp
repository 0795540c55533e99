// The floor of a cold start for any server built as ours must be: a program that links the
// compiled cpp-httplib (and with it OpenSSL, libstdc++, zlib and brotli, whose start-up code
// runs before main) and answers one request line, then idles until the end of its input.
// bench/run.py times it beside the server; the difference is what the server itself costs.
#include <httplib.h>

#include <iostream>
#include <string>

int main() {
    std::string line;
    std::getline(std::cin, line);
    std::cout << R"({"jsonrpc":"2.0","id":1,"result":{}})" << std::endl;
    while (std::getline(std::cin, line)) {
    }
    // Something of the library, for the reader; the link keeps it with --no-as-needed.
    return httplib::to_string(httplib::Error::Success).empty() ? 1 : 0;
}
