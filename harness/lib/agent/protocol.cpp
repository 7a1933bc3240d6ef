#include "agent/protocol.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "agent/json_reader.hpp"

namespace numalab::agent {

using nlohmann::json;
// Encoded members keep their order, so every line starts with its "t".
using ordered = nlohmann::ordered_json;

namespace {

constexpr double k_max_seconds = 1e9;  // uptimes and durations: about 31 years
constexpr std::int64_t k_max_cpus_online = 1 << 20;
constexpr std::int64_t k_min_heartbeat_ms = 10;
constexpr std::int64_t k_max_heartbeat_ms = 3'600'000;
// The year 9999, in milliseconds since the epoch: beyond it a host_time_ms is nonsense.
constexpr std::int64_t k_max_host_time_ms = 253'402'300'799'000;
constexpr std::int64_t k_max_pid = 1 << 22;  // the kernel's PID_MAX_LIMIT on 64-bit

std::string dump_line(const ordered& j) {
  // replace: a stray invalid UTF-8 byte in a string becomes U+FFFD instead of an exception.
  return j.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

// At most k_max_notes notes of at most k_max_note_bytes each, as the decoder keeps them.
ordered encode_notes(const std::vector<std::string>& notes) {
  ordered out = ordered::array();
  for (std::size_t i = 0; i < notes.size() && i < k_max_notes; ++i)
    out.push_back(truncate_utf8(notes[i], k_max_note_bytes));
  return out;
}

ordered encode_value(const Hello& h) {
  ordered notes = encode_notes(h.notes);
  return {{"t", "hello"},
          {"protocol", h.protocol},
          {"release", h.kernel_release},
          {"version", h.kernel_version},
          {"topology", ordered(json(h.topology))},
          {"cpus_online", h.cpus_online},
          {"mem_total_kb", h.mem_total_kb},
          {"uptime_s", h.uptime_s},
          {"notes", notes}};
}
ordered encode_value(const Heartbeat& m) { return {{"t", "hb"}, {"seq", m.seq}, {"uptime_s", m.uptime_s}}; }
ordered encode_value(const StepStart& m) { return {{"t", "start"}, {"workload", m.workload}}; }
ordered encode_value(const Metric& m) {
  ordered j = {{"t", "metric"}, {"workload", m.workload}, {"name", m.name}};
  if (m.absent)
    j["absent"] = true;
  else
    j["value"] = m.value;
  j["unit"] = m.unit;
  j["better"] = to_string(m.better);
  return j;
}
ordered encode_value(const Sample& m) {
  return {{"t", "sample"}, {"workload", m.workload}, {"name", m.name}, {"at_s", m.at_s}, {"value", m.value}};
}
ordered encode_value(const StepEnd& m) {
  ordered j = {{"t", "end"},
               {"workload", m.workload},
               {"verdict", m.verdict},
               {"detail", truncate_utf8(m.detail, k_max_text_bytes)},
               {"elapsed_s", m.elapsed_s}};
  if (!m.restored.empty()) j["restored"] = encode_notes(m.restored);
  if (!m.left.empty()) j["left"] = encode_notes(m.left);
  return j;
}
ordered encode_value(const Log& m) {
  return {{"t", "log"}, {"text", truncate_utf8(m.text, k_max_text_bytes)}};
}
ordered encode_value(const Ready& m) { return {{"t", "ready"}, {"service", m.service}}; }
ordered encode_value(const BlockedTask& task) {
  ordered stack = ordered::array();
  for (std::size_t f = 0; f < task.stack.size() && f < k_max_stack_frames; ++f)
    stack.push_back(truncate_utf8(task.stack[f], k_max_name_bytes));
  return {{"pid", task.pid},
          {"tid", task.tid},
          {"comm", truncate_utf8(task.comm, k_max_name_bytes)},
          {"switches", task.switches},
          {"wchan", truncate_utf8(task.wchan, k_max_name_bytes)},
          {"stack", stack}};
}
// Names come from the guest kernel: they are cut to the bounds here, and the tasks that would take
// the line past k_max_line_bytes are left out (16 tasks of 32 frames of 128-byte names would), so
// the line always decodes.
ordered encode_value(const Blocked& m) {
  ordered tasks = ordered::array();
  std::size_t bytes = dump_line({{"t", "blocked"}, {"tasks", tasks}}).size();
  for (std::size_t i = 0; i < m.tasks.size() && i < k_max_blocked_tasks; ++i) {
    ordered task = encode_value(m.tasks[i]);
    bytes += dump_line(task).size() + (tasks.empty() ? 0 : 1);
    if (bytes > k_max_line_bytes) break;
    tasks.push_back(std::move(task));
  }
  return {{"t", "blocked"}, {"tasks", tasks}};
}
ordered encode_value(const Done&) { return {{"t", "done"}}; }

using Decoded = std::expected<GuestMessage, std::string>;

template <class T>
Decoded checked(const JsonObjectReader& r, T value) {
  if (!r.ok()) return std::unexpected(r.error());
  return GuestMessage(std::move(value));
}

// An optional array of notes: the first k_max_notes, each cut to k_max_note_bytes; anything but
// strings is a problem.
std::vector<std::string> decode_notes(JsonObjectReader& r, const char* member) {
  std::vector<std::string> out;
  const json* notes = r.array(member, std::numeric_limits<std::size_t>::max(), Presence::optional);
  if (!notes) return out;
  for (std::size_t i = 0; i < notes->size() && i < k_max_notes; ++i) {
    if (!(*notes)[i].is_string()) {
      r.problem(member, "expected strings");
      break;
    }
    out.push_back(truncate_utf8((*notes)[i].get<std::string>(), k_max_note_bytes));
  }
  return out;
}

Decoded decode_hello(const json& j) {
  JsonObjectReader r(j, "hello");
  Hello h;
  h.protocol = static_cast<int>(r.integer("protocol", 0, std::numeric_limits<int>::max()));
  h.kernel_release = r.string("release", k_max_name_bytes, Overlong::reject);
  h.kernel_version = r.string("version", k_max_name_bytes, Overlong::reject);
  h.cpus_online = static_cast<int>(r.integer("cpus_online", 0, k_max_cpus_online));
  h.mem_total_kb = r.unsigned_integer("mem_total_kb");
  h.uptime_s = r.number("uptime_s", 0, k_max_seconds);
  const json* topology = r.object("topology");
  h.notes = decode_notes(r, "notes");
  if (!r.ok()) return std::unexpected(r.error());
  auto t = decode_topology(*topology);
  if (!t) return std::unexpected("hello." + t.error());
  h.topology = std::move(*t);
  return h;
}

Decoded decode_heartbeat(const json& j) {
  JsonObjectReader r(j, "hb");
  Heartbeat m;
  m.seq = r.unsigned_integer("seq");
  m.uptime_s = r.number("uptime_s", 0, k_max_seconds);
  return checked(r, m);
}

Decoded decode_start(const json& j) {
  JsonObjectReader r(j, "start");
  StepStart m;
  m.workload = r.string("workload", k_max_name_bytes, Overlong::reject);
  return checked(r, m);
}

Decoded decode_metric(const json& j) {
  JsonObjectReader r(j, "metric");
  Metric m;
  m.workload = r.string("workload", k_max_name_bytes, Overlong::reject);
  m.name = r.string("name", k_max_name_bytes, Overlong::reject);
  m.absent = r.boolean("absent", Presence::optional, false);
  if (m.absent)
    m.value = std::numeric_limits<double>::quiet_NaN();
  else
    m.value = r.number("value", -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
  m.unit = r.string("unit", k_max_name_bytes, Overlong::reject, Presence::optional);
  std::string better = r.string("better", k_max_name_bytes, Overlong::reject, Presence::optional);
  if (auto b = better.empty() ? std::optional(model::Better::none) : model::better_from_string(better))
    m.better = *b;
  else
    r.problem("better", "expected \"lower\", \"higher\" or \"none\"");
  return checked(r, m);
}

Decoded decode_sample(const json& j) {
  JsonObjectReader r(j, "sample");
  Sample m;
  m.workload = r.string("workload", k_max_name_bytes, Overlong::reject);
  m.name = r.string("name", k_max_name_bytes, Overlong::reject);
  m.at_s = r.number("at_s", 0, k_max_seconds);
  m.value = r.number("value", -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
  return checked(r, m);
}

Decoded decode_end(const json& j) {
  JsonObjectReader r(j, "end");
  StepEnd m;
  m.workload = r.string("workload", k_max_name_bytes, Overlong::reject);
  m.verdict = r.string("verdict", k_max_name_bytes, Overlong::reject);
  if (r.ok() && m.verdict != "pass" && m.verdict != "fail" && m.verdict != "error")
    r.problem("verdict", "expected \"pass\", \"fail\" or \"error\"");
  m.detail = r.string("detail", k_max_text_bytes, Overlong::truncate, Presence::optional);
  m.elapsed_s = r.number("elapsed_s", 0, k_max_seconds);
  m.restored = decode_notes(r, "restored");
  m.left = decode_notes(r, "left");
  return checked(r, m);
}

Decoded decode_log(const json& j) {
  JsonObjectReader r(j, "log");
  Log m;
  m.text = r.string("text", k_max_text_bytes, Overlong::truncate);
  return checked(r, m);
}

Decoded decode_ready(const json& j) {
  JsonObjectReader r(j, "ready");
  Ready m;
  m.service = r.string("service", k_max_name_bytes, Overlong::reject);
  return checked(r, m);
}

// One member of blocked.tasks; problems are kept in r.
BlockedTask decode_blocked_task(JsonObjectReader& r) {
  BlockedTask task;
  task.pid = static_cast<int>(r.integer("pid", 1, k_max_pid));
  task.tid = static_cast<int>(r.integer("tid", 1, k_max_pid));
  task.comm = r.string("comm", k_max_name_bytes, Overlong::reject);
  task.switches = r.unsigned_integer("switches");
  task.wchan = r.string("wchan", k_max_name_bytes, Overlong::reject);
  if (const json* stack = r.array("stack", k_max_stack_frames)) {
    for (const auto& frame : *stack) {
      if (!frame.is_string() || frame.get_ref<const std::string&>().size() > k_max_name_bytes) {
        r.problem("stack",
                  "expected function names of at most " + std::to_string(k_max_name_bytes) + " bytes");
        break;
      }
      task.stack.push_back(frame.get<std::string>());
    }
  }
  return task;
}

Decoded decode_blocked(const json& j) {
  JsonObjectReader r(j, "blocked");
  Blocked m;
  const json* tasks = r.array("tasks", k_max_blocked_tasks);
  if (!r.ok()) return std::unexpected(r.error());
  for (std::size_t i = 0; i < tasks->size(); ++i) {
    JsonObjectReader t((*tasks)[i], "blocked.tasks[" + std::to_string(i) + "]");
    m.tasks.push_back(decode_blocked_task(t));
    if (!t.ok()) return std::unexpected(t.error());
  }
  return m;
}

Decoded decode_done(const json&) { return GuestMessage(Done{}); }

struct GuestDecoder {
  std::string_view type;
  Decoded (*decode)(const json&);
};

constexpr std::array<GuestDecoder, 10> k_guest_decoders = {{
    {"hello", decode_hello},
    {"hb", decode_heartbeat},
    {"start", decode_start},
    {"metric", decode_metric},
    {"sample", decode_sample},
    {"end", decode_end},
    {"log", decode_log},
    {"ready", decode_ready},
    {"blocked", decode_blocked},
    {"done", decode_done},
}};

// The "t" member of a parsed line, or an error.
std::expected<std::string, std::string> message_type(const json& j) {
  JsonObjectReader r(j, "");
  std::string t = r.string("t", k_max_name_bytes, Overlong::reject);
  if (!r.ok()) return std::unexpected(r.error());
  return t;
}

}  // namespace

std::string encode(const GuestMessage& m) {
  return dump_line(std::visit([](const auto& v) { return encode_value(v); }, m));
}

std::string encode(const Plan& p) {
  ordered workloads = ordered::array();
  for (const auto& w : p.workloads) workloads.push_back({{"name", w.name}, {"params", ordered(w.params)}});
  ordered interfaces = ordered::array();
  for (const auto& i : p.interfaces)
    interfaces.push_back(
        {{"network", i.network}, {"mac", i.mac}, {"address", i.address}, {"prefix", i.prefix}});
  ordered hosts = ordered::object();
  for (const auto& [name, address] : p.hosts) hosts[name] = address;
  ordered line = {{"t", "plan"},
                  {"workloads", workloads},
                  {"expected", ordered(json(p.expected))},
                  {"heartbeat_ms", p.heartbeat_ms},
                  {"poweroff", p.poweroff},
                  {"interfaces", interfaces},
                  {"hosts", hosts}};
  if (p.host_time_ms) line["host_time_ms"] = *p.host_time_ms;
  return dump_line(line);
}

std::string encode_release() { return dump_line({{"t", "release"}}); }

bool is_release(std::string_view line) {
  try {
    json j;
    if (auto e = parse_object_line(line, j); !e.empty()) return false;
    auto t = message_type(j);
    return t && *t == "release";
  } catch (...) {
    return false;
  }
}

std::expected<GuestMessage, std::string> decode_guest_message(std::string_view line) {
  try {
    json j;
    if (auto e = parse_object_line(line, j); !e.empty()) return std::unexpected(e);
    auto t = message_type(j);
    if (!t) return std::unexpected(t.error());
    for (const auto& d : k_guest_decoders)
      if (d.type == *t) return d.decode(j);
    return std::unexpected("unknown message type \"" + truncate_utf8(*t, 32) + "\"");
  } catch (const std::exception& e) {
    return std::unexpected(std::string("cannot decode: ") + e.what());
  } catch (...) {
    return std::unexpected(std::string("cannot decode"));
  }
}

std::expected<Plan, std::string> decode_plan(std::string_view line) {
  try {
    json j;
    if (auto e = parse_object_line(line, j); !e.empty()) return std::unexpected(e);
    auto t = message_type(j);
    if (!t) return std::unexpected(t.error());
    if (*t != "plan") return std::unexpected("expected a plan, got \"" + truncate_utf8(*t, 32) + "\"");
    JsonObjectReader r(j, "plan");
    Plan p;
    p.heartbeat_ms = static_cast<int>(r.integer("heartbeat_ms", k_min_heartbeat_ms, k_max_heartbeat_ms,
                                                Presence::optional, p.heartbeat_ms));
    p.poweroff = r.boolean("poweroff", Presence::optional, p.poweroff);
    if (const auto ms = r.integer("host_time_ms", 0, k_max_host_time_ms, Presence::optional, -1); ms >= 0)
      p.host_time_ms = ms;
    const json* workloads = r.array("workloads", k_max_workloads);
    const json* expected = r.object("expected");
    if (!r.ok()) return std::unexpected(r.error());
    for (std::size_t i = 0; i < workloads->size(); ++i) {
      JsonObjectReader w(workloads->at(i), "plan.workloads[" + std::to_string(i) + "]");
      WorkloadRequest req;
      req.name = w.string("name", k_max_name_bytes, Overlong::reject);
      if (const json* params = w.object("params", Presence::optional)) req.params = *params;
      if (!w.ok()) return std::unexpected(w.error());
      p.workloads.push_back(std::move(req));
    }
    if (const json* interfaces = r.array("interfaces", k_max_interfaces, Presence::optional)) {
      for (std::size_t i = 0; i < interfaces->size(); ++i) {
        JsonObjectReader n(interfaces->at(i), "plan.interfaces[" + std::to_string(i) + "]");
        NetInterface ni;
        ni.network = n.string("network", k_max_name_bytes, Overlong::reject);
        ni.mac = n.string("mac", k_max_name_bytes, Overlong::reject);
        ni.address = n.string("address", k_max_name_bytes, Overlong::reject);
        ni.prefix = static_cast<int>(n.integer("prefix", 0, 32, Presence::optional, ni.prefix));
        if (!n.ok()) return std::unexpected(n.error());
        p.interfaces.push_back(std::move(ni));
      }
    }
    if (const json* hosts = r.object("hosts", Presence::optional)) {
      if (hosts->size() > k_max_hosts)
        return std::unexpected("plan.hosts: more than " + std::to_string(k_max_hosts));
      for (const auto& [name, address] : hosts->items()) {
        if (!address.is_string() || name.size() > k_max_name_bytes)
          return std::unexpected("plan.hosts." + truncate_utf8(name, 32) + ": not an address");
        p.hosts[name] = address.get<std::string>();
      }
    }
    if (!r.ok()) return std::unexpected(r.error());
    auto topology = decode_topology(*expected);
    if (!topology) return std::unexpected("plan.expected " + topology.error());
    p.expected = std::move(*topology);
    return p;
  } catch (const std::exception& e) {
    return std::unexpected(std::string("cannot decode plan: ") + e.what());
  } catch (...) {
    return std::unexpected(std::string("cannot decode plan"));
  }
}

}  // namespace numalab::agent
