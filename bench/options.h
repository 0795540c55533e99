#pragma once
// Command-line options of the rdbench subcommands: "--name value" pairs (repeatable), and the
// files they name read whole.
#include <map>
#include <string>
#include <vector>

namespace rdbench {

class Options {
  public:
    // argv after the subcommand; "--flag value" pairs, and "--" followed by a command line.
    Options(int argc, char** argv, int first);

    std::string get(const std::string& name, const std::string& fallback = "") const;
    std::string require(const std::string& name) const;  // throws when absent
    double number(const std::string& name, double fallback) const;
    std::vector<std::string> all(const std::string& name) const;
    const std::vector<std::string>& command() const { return command_; }  // after "--"

  private:
    std::multimap<std::string, std::string> values_;
    std::vector<std::string> command_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

}  // namespace rdbench
