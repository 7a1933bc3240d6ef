#pragma once
// The agent protocol: line-delimited JSON over a virtio-serial port, one object per line, each with
// a "t" (type) member. Shared by the host and the guest agent. Everything the host decodes came
// from an untrusted guest: decoding is total (any input gives a message or an error string, never
// an exception or a crash) and bounded by k_max_line_bytes.
//
// guest -> host                                   host -> guest
//   hello    what the guest sees                    plan     workloads to run, expected topology,
//   hb       heartbeat, every plan.heartbeat_ms              network interfaces and host names
//                                                   release  a service workload may stop serving
//   start    a workload step begins
//   metric   one measured value, or a counter the running kernel does not have ("absent")
//   sample   one point of a time series (locality share once a second...)
//   end      a workload step ends, with its verdict and the guest state it left (restored, left)
//   log      free text worth keeping
//   ready    a service the host may wait for is up
//   blocked  tasks in uninterruptible sleep (D) at one scan, with their context switches and kernel
//            stacks; sent once per heartbeat interval while any task is in D, never otherwise
//   done     everything in the plan ran; the guest powers off next

#include <cstdint>
#include <expected>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/metric_direction.hpp"
#include "model/topology.hpp"

namespace numalab::agent {

inline constexpr int k_protocol_version = 1;
inline constexpr std::size_t k_max_line_bytes = 64 * 1024;
inline constexpr const char* k_port_name = "org.numalab.agent";

// Bounds on decoded content. Free text (log text, end detail, notes) longer than its bound is cut
// at a UTF-8 character boundary; an over-long name or an over-large array rejects the message. The
// encoder applies the same cuts, so what the guest sends is what the host keeps.
inline constexpr std::size_t k_max_text_bytes = 16 * 1024;  // log.text, end.detail
inline constexpr std::size_t k_max_note_bytes = 1024;       // one hello.notes (end.restored, end.left) entry
inline constexpr std::size_t k_max_notes = 32;              // more are dropped
inline constexpr std::size_t k_max_name_bytes = 128;        // workload, metric, unit, service, release
inline constexpr std::size_t k_max_nesting = 32;            // deeper JSON is rejected before parsing
using model::k_max_node_cpus;                               // one node's cpus
using model::k_max_nodes;                                   // topology.nodes, distance rows/columns
inline constexpr std::size_t k_max_workloads = 256;         // plan.workloads
inline constexpr std::size_t k_max_blocked_tasks = 16;      // blocked.tasks
inline constexpr std::size_t k_max_stack_frames = 32;       // one blocked task's stack

struct Hello {
  int protocol = k_protocol_version;
  std::string kernel_release;  // uname -r
  std::string kernel_version;  // uname -v
  model::Topology topology;    // nodes with online CPUs and node MemTotal, SLIT distances
  int cpus_online = 0;
  std::uint64_t mem_total_kb = 0;
  double uptime_s = 0;             // /proc/uptime when the agent said hello
  std::vector<std::string> notes;  // what the agent could not do (a module that did not load...)

  bool operator==(const Hello&) const = default;
};

struct Heartbeat {
  std::uint64_t seq = 0;
  double uptime_s = 0;

  bool operator==(const Heartbeat&) const = default;
};

struct StepStart {
  std::string workload;

  bool operator==(const StepStart&) const = default;
};

struct Metric {
  std::string workload;
  std::string name;
  double value = 0;  // meaningless when absent
  std::string unit;
  model::Better better = model::Better::none;
  bool absent = false;  // the kernel has no such counter: recorded as absent, never as 0

  bool operator==(const Metric&) const = default;
};

// One point of a workload's time series: name's value at at_s seconds after the workload started.
struct Sample {
  std::string workload;
  std::string name;
  double at_s = 0;
  double value = 0;

  bool operator==(const Sample&) const = default;
};

struct StepEnd {
  std::string workload;
  std::string verdict;  // "pass", "fail" or "error"
  std::string detail;   // why, for a fail or error: a precise diff, an errno, ...
  double elapsed_s = 0;
  // The clean-state contract (guest/agent/common/clean_state.hpp): what the workload changed in
  // the guest and the agent put back after it ("sysctl kernel/sysrq: 438 -> 1"), and what is
  // still different ("mount /mnt/x (nfs4): made"), each bounded like hello.notes. Both empty: the
  // workload left the guest as it found it. Optional on the wire (absent when empty).
  std::vector<std::string> restored = {};
  std::vector<std::string> left = {};

  bool operator==(const StepEnd&) const = default;
};

struct Log {
  std::string text;

  bool operator==(const Log&) const = default;
};

struct Ready {
  std::string service;

  bool operator==(const Ready&) const = default;
};

// A task in uninterruptible sleep (state D in /proc/PID/task/TID/stat; TASK_IDLE shows as I and is
// not one). Names (comm, wchan, each frame) are bounded by k_max_name_bytes like the other names.
struct BlockedTask {
  int pid = 0;  // the thread group
  int tid = 0;
  std::string comm;
  std::uint64_t switches = 0;      // voluntary + nonvoluntary context switches, as the hung-task detector
  std::string wchan;               // the function it sleeps in; "" when the kernel does not say
  std::vector<std::string> stack;  // function names, innermost first; empty without CONFIG_STACKTRACE

  bool operator==(const BlockedTask&) const = default;
};

// One scan's tasks in D, at most k_max_blocked_tasks, those seen longest with the same switch
// count first. A task whose switches stay the same from one message to the next has not run.
struct Blocked {
  std::vector<BlockedTask> tasks;

  bool operator==(const Blocked&) const = default;
};

struct Done {
  bool operator==(const Done&) const = default;
};

using GuestMessage =
    std::variant<Hello, Heartbeat, StepStart, Metric, Sample, StepEnd, Log, Ready, Blocked, Done>;

struct WorkloadRequest {
  std::string name;
  nlohmann::json params = nlohmann::json::object();

  bool operator==(const WorkloadRequest&) const = default;
};

// One network interface of the machine, on one [[network]] of the lab: the guest finds it by MAC.
struct NetInterface {
  std::string network;  // the lab's [[network]] name
  std::string mac;      // "52:54:00:xx:xx:xx"
  std::string address;  // IPv4, dotted
  int prefix = 24;

  bool operator==(const NetInterface&) const = default;
};

inline constexpr std::size_t k_max_interfaces = 16;
inline constexpr std::size_t k_max_hosts = 64;

struct Plan {
  std::vector<WorkloadRequest> workloads;
  model::Topology expected;  // what the lab file declares for this machine
  int heartbeat_ms = 1000;
  bool poweroff = true;  // power the guest off after done
  std::vector<NetInterface> interfaces;
  // Every lab machine that shares a network with this one, by name: its address on that network.
  std::map<std::string, std::string> hosts;
  // Set for a guest restored from the startup cache (its clock is the saved one): the host's wall
  // clock, milliseconds since the Unix epoch, which the agent sets as the guest's.
  std::optional<std::int64_t> host_time_ms;

  bool operator==(const Plan&) const = default;
};

std::string encode(const GuestMessage& m);  // one line, without the newline
std::string encode(const Plan& p);
std::expected<GuestMessage, std::string> decode_guest_message(std::string_view line);
std::expected<Plan, std::string> decode_plan(std::string_view line);
// host -> guest after the plan: the machines that used this machine's service have finished.
std::string encode_release();
bool is_release(std::string_view line);
// The "topology" member of a hello and the "expected" member of a plan, decoded with the bounds
// above; never throws.
std::expected<model::Topology, std::string> decode_topology(const nlohmann::json& j);

// Splits a byte stream into lines, bounded: a line longer than max_line is dropped whole (up to its
// newline) and counted. Memory use never exceeds max_line + the size of one fed chunk.
class LineAssembler {
 public:
  explicit LineAssembler(std::size_t max_line = k_max_line_bytes) : max_line_(max_line) {}
  // Appends bytes and returns the complete lines they finish, without the '\n' and a '\r' before
  // it. Empty lines are skipped.
  std::vector<std::string> feed(std::string_view bytes);
  std::uint64_t dropped_lines() const { return dropped_; }

 private:
  std::size_t max_line_;
  std::string partial_;
  bool discarding_ = false;
  std::uint64_t dropped_ = 0;
};

// Token bucket: at most `burst` lines at once, refilled at `per_second`. allow() takes the current
// time in seconds so tests can drive it.
class RateLimiter {
 public:
  RateLimiter(double per_second, double burst) : rate_(per_second), burst_(burst), tokens_(burst) {}
  bool allow(double now_s);
  std::uint64_t refused() const { return refused_; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  double last_s_ = -1;
  std::uint64_t refused_ = 0;
};

}  // namespace numalab::agent
