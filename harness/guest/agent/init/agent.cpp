#include "init/agent.hpp"

#include <fcntl.h>
#include <time.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "common/workload.hpp"
#include "init/console.hpp"
#include "init/init_system.hpp"
#include "init/power.hpp"
#include "link/agent_port.hpp"
#include "link/heartbeat.hpp"
#include "link/hello.hpp"
#include "link/port_discovery.hpp"
#include "modules/module_loader.hpp"
#include "network/network_setup.hpp"
#include "workload/common/sysfs_topology.hpp"

namespace numalab::guest {

namespace {

util::Deadline after_seconds(double s) {
  return util::Deadline::after(std::chrono::milliseconds(static_cast<long long>(s * 1000)));
}

std::expected<util::UniqueFd, std::string> open_port(const Options& o) {
  if (o.port_fd >= 0) return util::UniqueFd(o.port_fd);
  if (o.port_path.empty())
    return open_agent_port(o.root, agent::k_port_name, after_seconds(o.port_timeout_s));
  util::UniqueFd fd(::open(o.port_path.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY));
  if (!fd) return std::unexpected("open " + o.port_path + ": " + std::strerror(errno));
  return fd;
}

std::vector<std::string> set_up(const Options& o) {
  std::vector<std::string> notes;
  if (is_init()) {
    notes = become_init();
    say("started as init");
    auto failed = load_modules(k_modules_list, running_kernel_modules_dir());
    notes.insert(notes.end(), failed.begin(), failed.end());
  } else {
    ignore_sigpipe();
  }
  if (!o.ignored.empty()) {
    std::string text = "ignored arguments:";
    for (const auto& a : o.ignored) text += " " + a;
    notes.push_back(text);
  }
  return notes;
}

agent::Plan receive_plan(AgentPort& port, const Options& o) {
  auto line = port.read_line(after_seconds(o.plan_timeout_s));
  if (!line) fatal("waiting for the plan: " + line.error());
  auto plan = agent::decode_plan(*line);
  if (!plan) {
    port.send(agent::Log{"bad plan: " + plan.error()});
    fatal("bad plan: " + plan.error());
  }
  return std::move(*plan);
}

// As PID 1: lo and the plan's interfaces, each said in the transcript. A problem (a MAC no device
// has) is said too, and the workloads still run: theirs is the verdict.
void configure_network(const agent::Plan& plan, AgentPort& port, const Options& o) {
  if (!is_init()) {
    if (!plan.interfaces.empty())
      port.send(agent::Log{"network: not PID 1, the plan's interfaces are left alone"});
    return;
  }
  auto net = set_up_network(plan, o.root);
  std::string text = "network:";
  for (const auto& c : net.configured) text += " " + c + ";";
  port.send(agent::Log{text});
  for (const auto& p : net.problems) {
    say("network: " + p);
    port.send(agent::Log{"network problem: " + p});
  }
}

// A guest restored from the startup cache runs on the clock of the moment it was saved: as PID 1,
// the host's time from the plan becomes the guest's. The note also carries a fresh random UUID,
// which differs between two restores of one entry when the kernel re-seeded its generator (the VM
// generation ID device tells it to); equal UUIDs would mean restores share their random values.
void resume_from_plan(const agent::Plan& plan, AgentPort& port) {
  if (!plan.host_time_ms) return;
  std::string text = "restored:";
  timespec before{};
  ::clock_gettime(CLOCK_REALTIME, &before);
  const double behind_s = static_cast<double>(*plan.host_time_ms) / 1000.0 -
                          (static_cast<double>(before.tv_sec) + static_cast<double>(before.tv_nsec) / 1e9);
  if (is_init()) {
    const timespec host{static_cast<time_t>(*plan.host_time_ms / 1000),
                        static_cast<long>(*plan.host_time_ms % 1000) * 1'000'000L};
    if (::clock_settime(CLOCK_REALTIME, &host) == 0) {
      char buf[96];
      std::snprintf(buf, sizeof buf, " the guest's clock was %.1f s behind the host's, now set;", behind_s);
      text += buf;
    } else {
      text += std::string(" the clock could not be set: ") + std::strerror(errno) + ";";
    }
  } else {
    text += " not PID 1, the clock is left alone;";
  }
  std::ifstream uuid("/proc/sys/kernel/random/uuid");
  std::string value;
  if (uuid >> value && value.size() <= 64) text += " random uuid " + value;
  port.send(agent::Log{text});
}

}  // namespace

int run_agent(const Options& o) {
  auto notes = set_up(o);
  auto fd = open_port(o);
  if (!fd) fatal(fd.error());
  AgentPort port(std::move(*fd));
  if (!port.send(collect_hello(o.root, std::move(notes)))) fatal("cannot send the hello");
  say("hello sent; waiting for the plan");
  agent::Plan plan = receive_plan(port, o);
  resume_from_plan(plan, port);
  configure_network(plan, port, o);
  {
    HeartbeatSender heartbeat(port, std::chrono::milliseconds(plan.heartbeat_ms), o.root);
    WorkloadContext ctx{port, heartbeat, plan, o.root, is_init() || o.allow_trigger, is_init()};
    for (const auto& w : plan.workloads) run_workload(w, ctx);
  }
  port.send(agent::Done{});
  say("done");
  if (!is_init()) return 0;
  if (plan.poweroff) try_power_off();
  idle_forever();
}

int dump(const Options& o) {
  if (o.dump_hello) {
    std::cout << agent::encode(collect_hello(o.root, {})) << '\n';
    return 0;
  }
  auto t = workload::read_sysfs_topology(o.root);
  if (!t) {
    std::cerr << "numalab-agent: " << t.error() << '\n';
    return 1;
  }
  std::cout << nlohmann::json(*t).dump() << '\n';
  return 0;
}

}  // namespace numalab::guest
