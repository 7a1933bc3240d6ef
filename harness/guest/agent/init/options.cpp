#include "init/options.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

namespace numalab::guest {

const char* const k_usage =
    "usage: numalab-agent [options]\n"
    "As the guest's init (PID 1) it mounts /proc, /sys, /dev, loads /etc/numalab/modules.load,\n"
    "finds the virtio-serial port org.numalab.agent, says hello, runs the host's plan and powers off.\n"
    "  --sysfs-root DIR     read sys/ and proc/ under DIR instead of /\n"
    "  --dump-topology      print the topology the hello would report, as JSON, and exit\n"
    "  --dump-hello         print the hello line and exit\n"
    "  --port PATH          talk over PATH instead of the virtio port\n"
    "  --port-fd N          talk over the open descriptor N\n"
    "  --port-timeout-s S   wait at most S seconds for the virtio port (default 10)\n"
    "  --plan-timeout-s S   wait at most S seconds for the plan (default 120)\n"
    "  --allow-trigger      let the trigger workload panic or hang although not PID 1\n";

namespace {

bool parse_number(std::string_view text, double& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size() && std::isfinite(out) && out >= 0;
}

bool parse_fd(std::string_view text, int& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size() && out >= 0;
}

}  // namespace

std::expected<Options, std::string> parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> std::expected<std::string_view, std::string> {
      if (i + 1 >= argc) return std::unexpected(std::string(arg) + " needs a value");
      return std::string_view(argv[++i]);
    };
    auto number = [&](double& out) -> std::expected<void, std::string> {
      auto v = value();
      if (!v) return std::unexpected(v.error());
      if (!parse_number(*v, out)) return std::unexpected(std::string(arg) + ": not a number of seconds");
      return {};
    };
    std::expected<void, std::string> ok;
    if (arg == "--sysfs-root") {
      auto v = value();
      if (v)
        o.root = std::string(*v);
      else
        ok = std::unexpected(v.error());
    } else if (arg == "--port") {
      auto v = value();
      if (v)
        o.port_path = std::string(*v);
      else
        ok = std::unexpected(v.error());
    } else if (arg == "--port-fd") {
      auto v = value();
      if (!v)
        ok = std::unexpected(v.error());
      else if (!parse_fd(*v, o.port_fd))
        ok = std::unexpected("--port-fd: not a descriptor number");
    } else if (arg == "--port-timeout-s") {
      ok = number(o.port_timeout_s);
    } else if (arg == "--plan-timeout-s") {
      ok = number(o.plan_timeout_s);
    } else if (arg == "--dump-topology") {
      o.dump_topology = true;
    } else if (arg == "--dump-hello") {
      o.dump_hello = true;
    } else if (arg == "--allow-trigger") {
      o.allow_trigger = true;
    } else if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else {
      o.ignored.emplace_back(arg);
    }
    if (!ok) return std::unexpected(ok.error());
  }
  return o;
}

}  // namespace numalab::guest
