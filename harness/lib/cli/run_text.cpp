#include "cli/run_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace numalab::cli {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string paint(const std::string& text, result::Verdict v, bool color) {
  if (!color) return text;
  const char* code = v == result::Verdict::pass ? "32" : v == result::Verdict::fail ? "31" : "1;31";
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

void format_topology(std::string& out, const model::Topology& t) {
  for (const auto& n : t.nodes)
    out += fmt::format("    node {}  cpus {:<8} MemTotal {:>6} MiB\n", n.id,
                       n.cpus.empty() ? "-" : model::format_cpu_list(n.cpus), n.memory_kb / 1024);
  if (t.distances.empty()) return;
  out += "    distances";
  for (std::size_t i = 0; i < t.distances.size(); ++i) {
    out += i ? " |" : "";
    for (int d : t.distances[i]) out += fmt::format(" {}", d);
  }
  out += "\n";
}

}  // namespace

std::string format_run(const result::RunResult& run, bool color) {
  std::string out =
      fmt::format("run {}  lab {}  {}  ({:.1f} s)\n", run.run_id, run.lab,
                  paint(upper(result::to_string(run.verdict)), run.verdict, color), run.duration_s);
  if (!run.reason.empty()) out += fmt::format("  why: {}\n", run.reason);
  for (const auto& m : run.machines) {
    out +=
        fmt::format("  machine {}  {}  kernel {} {}  boot {:.1f} s{}\n", m.name, m.accel, m.kernel.name,
                    m.kernel.release, m.boot_seconds,
                    m.boot == "restore" ? " (restored from startup cache entry " + m.startup_key + ")" : "");
    if (!m.boot_note.empty()) out += fmt::format("    booted fresh: {}\n", m.boot_note);
    if (m.topology_seen) format_topology(out, *m.topology_seen);
    for (const auto& r : m.kernel_reports) {
      out += fmt::format("    kernel report  {:<18} {}  (console.log:{})\n", r.kind, r.title, r.line_number);
      if (!r.task.empty()) out += fmt::format("      task {} pid {} cpu {}\n", r.task, r.pid, r.cpu);
      for (std::size_t i = 0; i < r.stack.size() && i < 6; ++i)
        out += fmt::format("        {}\n", r.stack[i]);
    }
  }
  for (const auto& f : run.faults) {
    out += fmt::format("  fault {} on {}{} for {:.1f} s at +{:.1f} s{}", f.kind, f.machine,
                       f.network.empty() ? "" : " (network " + f.network + ")", f.duration_s, f.planned_at_s,
                       f.after.empty() ? "" : " after " + f.after + " moved");
    if (!f.applied_at_s)
      out += fmt::format(": {}\n", f.detail);
    else if (f.first_progress_after_s)
      out += fmt::format(": progress again {:.1f} s after it ended\n", *f.first_progress_after_s);
    else
      out += ": no progress after it ended\n";
    if (!f.resumed.empty()) {
      out += "      moved again after:";
      for (std::size_t i = 0; i < f.resumed.size() && i < 8; ++i)
        out += fmt::format("{} {}{} {:.1f} s", i ? "," : "", f.resumed[i].counter,
                           run.machines.size() > 1 ? " (" + f.resumed[i].machine + ")" : "",
                           f.resumed[i].after_s);
      out += "\n";
    }
  }
  for (const auto& w : run.workloads) {
    out += fmt::format("  {:<20} on {:<10} {}  {:.2f} s\n", w.name, w.machine,
                       paint(std::string(result::to_string(w.verdict)), w.verdict, color), w.elapsed_s);
    if (w.verdict != result::Verdict::pass && !w.detail.empty()) out += fmt::format("      {}\n", w.detail);
    for (const auto& r : w.restored) out += fmt::format("      restored after it: {}\n", r);
    for (const auto& l : w.left) out += fmt::format("      left different: {}\n", l);
    for (const auto& [name, m] : w.metrics) {
      if (m.absent)
        out += fmt::format("      {:<28} {:>10}\n", name, "absent");
      else
        out += fmt::format("      {:<28} {:>10.4g} {}\n", name, m.value, m.unit);
    }
    for (const auto& [name, points] : w.series)
      if (!points.empty())
        out += fmt::format("      {:<28} {} samples over {:.0f} s, last {:.4g}\n", name, points.size(),
                           points.back().at_s - points.front().at_s, points.back().value);
  }
  if (!run.run_dir.empty()) out += fmt::format("  files: {}\n", run.run_dir);
  return out;
}

}  // namespace numalab::cli
