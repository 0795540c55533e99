#include "options.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rdbench {

Options::Options(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") {
            command_.assign(argv + i + 1, argv + argc);
            return;
        }
        if (arg.rfind("--", 0) != 0 || i + 1 >= argc) {
            throw std::invalid_argument("expected --name value, got " + arg);
        }
        values_.emplace(arg.substr(2), argv[++i]);
    }
}

std::string Options::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::string Options::require(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) throw std::invalid_argument("--" + name + " is required");
    return it->second;
}

double Options::number(const std::string& name, double fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : std::stod(it->second);
}

std::vector<std::string> Options::all(const std::string& name) const {
    std::vector<std::string> out;
    auto [from, to] = values_.equal_range(name);
    for (auto it = from; it != to; ++it) out.push_back(it->second);
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot write " + path);
    file << text;
}

}  // namespace rdbench
