#pragma once
// The agent's command line. As the guest's init it normally gets none: the defaults are for that.

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace numalab::guest {

struct Options {
  std::filesystem::path root = "/";  // --sysfs-root: where sys/ and proc/ are read
  bool dump_topology = false;        // --dump-topology: print the hello's topology JSON, exit
  bool dump_hello = false;           // --dump-hello: print the hello line, exit
  std::string port_path;             // --port PATH: use PATH instead of finding the virtio port
  int port_fd = -1;                  // --port-fd N: use an open descriptor (tests)
  double port_timeout_s = 10;        // --port-timeout-s: how long the virtio port may take to appear
  double plan_timeout_s = 120;       // --plan-timeout-s: how long to wait for the plan after hello
  bool allow_trigger = false;        // --allow-trigger: let "trigger" act although not PID 1
  bool help = false;                 // --help
  std::vector<std::string> ignored;  // arguments not understood (PID 1 gets the kernel's leftovers)
};

// Parses argv[1..]. Unknown arguments are collected in ignored; a known option with a bad or
// missing value is an error.
std::expected<Options, std::string> parse_options(int argc, char** argv);

extern const char* const k_usage;

}  // namespace numalab::guest
