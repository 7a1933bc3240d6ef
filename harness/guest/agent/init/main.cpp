// numalab-agent: the guest side of numalab. A thin main; the life of the agent is in agent.cpp.

#include <exception>
#include <iostream>

#include "init/agent.hpp"
#include "init/power.hpp"

int main(int argc, char** argv) {
  using namespace numalab::guest;
  auto options = parse_options(argc, argv);
  if (is_init()) {
    // The kernel's leftover arguments must not stop the guest: run with what could be parsed.
    try {
      run_agent(options ? *options : Options{});
    } catch (const std::exception& e) {
      fatal(std::string("uncaught: ") + e.what());
    }
    fatal("the agent ended");  // run_agent never returns as PID 1
  }
  if (!options || !options->ignored.empty()) {
    std::cerr << "numalab-agent: "
              << (options ? "unknown argument " + options->ignored.front() : options.error()) << "\n"
              << k_usage;
    return 2;
  }
  if (options->help) {
    std::cout << k_usage;
    return 0;
  }
  if (options->dump_topology || options->dump_hello) return dump(*options);
  try {
    return run_agent(*options);
  } catch (const std::exception& e) {
    std::cerr << "numalab-agent: fatal: " << e.what() << '\n';
    return 1;
  }
}
