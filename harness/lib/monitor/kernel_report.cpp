#include "monitor/kernel_report.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include "monitor/kernel_report_lines.hpp"

namespace numalab::monitor {

namespace {

using sv = std::string_view;
using namespace report_lines;

struct Header {
  sv kind;
  std::string detail;
  std::string task;
  int pid = -1;
  int cpu = -1;
  bool single_line = false;
};

// "comm:123" / "comm/123" at the end of s (the comm itself may hold ':' or '/').
void split_task(sv s, char sep, Header& h) {
  const auto at = s.rfind(sep);
  if (at == sv::npos) return;
  h.task = std::string(s.substr(0, at));
  h.pid = leading_int(s.substr(at + 1));
}

struct LockdepPhrase {
  sv text, kind, title;
};
constexpr std::array<LockdepPhrase, 7> k_lockdep = {{
    {"WARNING: possible circular locking dependency detected", "lockdep-circular",
     "possible circular locking dependency"},
    {"WARNING: possible recursive locking detected", "lockdep-recursive", "possible recursive locking"},
    {"WARNING: inconsistent lock state", "lockdep-inconsistent", "inconsistent lock state"},
    {"WARNING: possible irq lock inversion dependency detected", "lockdep-irq-inversion",
     "possible irq lock inversion"},
    {"WARNING: bad unlock balance detected!", "lockdep-bad-unlock", "bad unlock balance"},
    {"WARNING: held lock freed!", "lockdep-held-lock-freed", "held lock freed"},
    {"WARNING: suspicious RCU usage", "lockdep-rcu", "suspicious RCU usage"},
}};

std::optional<Header> match_header(sv line, sv open_kind) {
  Header h;
  if (const auto at = line.find("INFO: task "); at != sv::npos && has(line, " blocked for more than ")) {
    h.kind = "hung-task";
    split_task(line.substr(at + 11, line.find(" blocked for more than ") - at - 11), ':', h);
  } else if (has(line, "rcu") && has(line, "detected") && has(line, "stall") && line.find("INFO: ") < 8) {
    h.kind = "rcu-stall";
  } else if (const auto sl = line.find("BUG: soft lockup"); sl != sv::npos) {
    h.kind = "soft-lockup";
    if (const auto c = line.find(" - CPU#", sl); c != sv::npos) h.cpu = leading_int(line.substr(c + 7));
    if (const auto b = line.rfind('['); b != sv::npos)
      split_task(line.substr(b + 1, line.rfind(']') - b - 1), ':', h);
  } else if (const auto hl = line.find("Watchdog detected hard LOCKUP on cpu "); hl != sv::npos) {
    h.kind = "hard-lockup";
    h.cpu = leading_int(line.substr(hl + 37));
  } else if (const auto oi = line.find(" invoked oom-killer:"); oi != sv::npos) {
    h.kind = "oom-kill";
    h.task = std::string(line.substr(0, oi));
  } else if (const auto ok = line.find("Out of memory: Kill"); ok != sv::npos) {
    h.kind = "oom-kill";
    h.single_line = true;
    const auto p = line.find("process ", ok);
    if (p != sv::npos) h.pid = leading_int(line.substr(p + 8));
    const auto lp = line.find('(', ok), rp = line.find(')', ok);
    if (lp != sv::npos && rp != sv::npos && rp > lp) h.task = std::string(line.substr(lp + 1, rp - lp - 1));
  } else if (const auto pa = line.find(": page allocation failure: order:"); pa != sv::npos) {
    h.kind = "page-alloc-failure";
    h.task = std::string(line.substr(0, pa));
    h.detail = "order:" + std::to_string(leading_int(line.substr(pa + 33)));
  } else if (const auto kb = line.find("kernel BUG at "); kb != sv::npos) {
    h.kind = "kernel-bug";
    const sv where = line.substr(kb + 14);
    h.detail = std::string(where.substr(0, where.find(':')));
  } else if (line.starts_with("BUG: unable to handle ") ||
             line.starts_with("BUG: kernel NULL pointer dereference")) {
    h.kind = "oops";
    h.detail = std::string(line.substr(0, std::min(line.find(','), line.find(" for address"))));
  } else if (line.starts_with("Oops: ") && open_kind != "oops" && open_kind != "gpf" &&
             open_kind != "kernel-bug") {
    h.kind = "oops";
    h.detail = "Oops";
  } else if (line.starts_with("general protection fault")) {
    h.kind = "gpf";
  } else if (line.starts_with("WARNING: ")) {
    for (const auto& l : k_lockdep)
      if (line.starts_with(l.text)) {
        h.kind = l.kind;
        h.detail = std::string(l.title);
      }
    if (h.kind.empty() && line.starts_with("WARNING: CPU: ")) {
      h.kind = "warning";
      h.cpu = leading_int(line.substr(14));
      if (const auto p = line.find(" PID: "); p != sv::npos) h.pid = leading_int(line.substr(p + 6));
      const auto fn = line.find(' ', line.find(" at ") == sv::npos ? line.size() : line.find(" at ") + 4);
      if (fn != sv::npos) h.detail = std::string(base_function(symbol_with_offset(line.substr(fn + 1))));
    }
    if (h.kind.empty()) return std::nullopt;
  } else if (const auto kp = line.find("Kernel panic - not syncing"); kp != sv::npos) {
    h.kind = "panic";
    sv message = line.substr(kp + 26);  // ": why", unless the line was cut
    if (message.starts_with(':')) message.remove_prefix(1);
    h.detail = normalise_text(trim(message));
  } else if (line.starts_with("BUG: sleeping function called from invalid context")) {
    h.kind = "sleep-in-atomic";
  } else if (line.starts_with("BUG: scheduling while atomic: ")) {  // "comm/PID/0x00000002"
    h.kind = "sleep-in-atomic";
    h.detail = "BUG: scheduling while atomic";
    const sv who = line.substr(30);
    split_task(who.substr(0, who.rfind('/')), '/', h);
  } else if (line.starts_with("BUG: workqueue lockup")) {
    h.kind = "workqueue-lockup";
    h.single_line = true;
  } else if (const auto sp = line.find("BUG: spinlock lockup suspected on CPU#"); sp != sv::npos) {
    h.kind = "spinlock-lockup";
    h.cpu = leading_int(line.substr(sp + 38));
    if (const auto c = line.find(", ", sp); c != sv::npos) split_task(trim(line.substr(c + 2)), '/', h);
  } else if (line.starts_with("nfs: server ") && has(line, " not responding")) {
    h.kind = "nfs-not-responding";
    h.single_line = true;
    h.detail = normalise_text(line.substr(12, line.find(' ', 12) - 12));
  } else if (line.starts_with("Write-error on swap-device")) {
    h.kind = "swap-write-error";
    h.single_line = true;
    h.detail = "Write-error on swap-device";
  } else if (line.starts_with("Write error ") && has(line, " on dio swapfile")) {
    // A swap file on NFS (or any SWP_FS_OPS file): mm/page_io.c's sio_write_complete(), whose
    // page is redirtied and written again later.
    h.kind = "swap-write-error";
    h.single_line = true;
    h.detail = "Write error on dio swapfile";
  } else {
    return std::nullopt;
  }
  return h;
}

std::string first_interesting(const std::vector<std::string>& stack) {
  for (const auto& f : stack)
    if (!uninteresting_frame(f)) return std::string(base_function(f));
  return {};
}

std::string make_title(const KernelReport& r, const std::string& detail, const std::string& rip) {
  const sv k = r.kind;
  const bool rip_first = k == "rcu-stall" || k == "soft-lockup" || k == "hard-lockup" || k == "oops" ||
                         k == "gpf" || k == "kernel-bug" || k == "spinlock-lockup";
  std::string where = rip_first && !rip.empty() && !uninteresting_frame(rip) ? std::string(base_function(rip))
                                                                             : first_interesting(r.stack);
  if (k == "warning" && !detail.empty()) where = detail;
  const auto in = [&](const std::string& head) { return where.empty() ? head : head + " in " + where; };
  if (k == "hung-task") return in("INFO: task hung");
  if (k == "rcu-stall") return in("RCU stall");
  if (k == "soft-lockup") return in("BUG: soft lockup");
  if (k == "hard-lockup") return in("hard lockup");
  if (k == "oom-kill") return in("OOM kill");
  if (k == "page-alloc-failure") return in("page allocation failure: " + detail);
  if (k == "kernel-bug") return where.empty() ? "kernel BUG at " + detail : "kernel BUG in " + where;
  if (k == "oops") return in(detail);
  if (k == "gpf") return in("general protection fault");
  if (k == "warning") return in("WARNING");
  if (k == "panic") return "kernel panic: " + detail;
  if (k == "sleep-in-atomic")
    return in(detail.empty() ? "BUG: sleeping function called from invalid context" : detail);
  if (k == "workqueue-lockup") return "BUG: workqueue lockup";
  if (k == "spinlock-lockup") return in("BUG: spinlock lockup");
  if (k == "nfs-not-responding") return "nfs: server " + detail + " not responding";
  if (k == "swap-write-error") return detail;
  return in(detail);  // the lockdep family
}

// Fills what context lines say about the task: "CPU: 3 PID: 197 Comm: numalab-hog ...",
// "NMI backtrace for cpu 3", lockdep's "comm/123 is trying to acquire lock:", "pid: 12, name: x".
void read_task(KernelReport& r, sv line) {
  if (line.starts_with("CPU: ") && has(line, " PID: ") && has(line, " Comm: ")) {
    if (r.cpu < 0) r.cpu = leading_int(line.substr(5));
    if (r.pid < 0) r.pid = leading_int(line.substr(line.find(" PID: ") + 6));
    if (r.task.empty()) {
      const sv comm = line.substr(line.find(" Comm: ") + 7);
      r.task = std::string(comm.substr(0, comm.find(' ')));
    }
  } else if (line.starts_with("NMI backtrace for cpu ") && r.cpu < 0) {
    r.cpu = leading_int(line.substr(22));
  } else if (const auto n = line.find(", name: "); n != sv::npos && line.starts_with("in_atomic()")) {
    if (const auto p = line.find(" pid: "); p != sv::npos && r.pid < 0)
      r.pid = leading_int(line.substr(p + 6));
    if (r.task.empty()) r.task = std::string(trim(line.substr(n + 8)));
  } else if (r.kind.starts_with("lockdep") && r.task.empty() && !line.empty() && line.front() != ' ') {
    const auto sp = line.find(' ');
    const sv who = line.substr(0, sp);
    if (sp != sv::npos && (line.substr(sp).starts_with(" is ") || line.substr(sp).starts_with(" just "))) {
      const auto slash = who.rfind('/');
      if (slash != sv::npos && leading_int(who.substr(slash + 1)) >= 0) {
        r.task = std::string(who.substr(0, slash));
        r.pid = leading_int(who.substr(slash + 1));
      }
    }
  }
}

}  // namespace

std::string_view crash_name(std::string_view kind) {
  if (kind == "panic") return "panic";
  if (kind == "oops") return "Oops";
  if (kind == "kernel-bug") return "BUG";
  if (kind == "gpf") return "general protection fault";
  return {};
}

bool is_fatal(std::string_view kind) { return !crash_name(kind).empty(); }

std::vector<ReportStart> KernelReportParser::feed(std::string_view bytes) {
  starts_.clear();
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const sv piece = bytes.substr(0, nl);
    if (!cutting_) {
      partial_.append(piece.substr(0, k_max_line - partial_.size()));
      cutting_ = partial_.size() >= k_max_line;
    }
    if (nl == sv::npos) break;
    end_line();
    bytes.remove_prefix(nl + 1);
  }
  return std::exchange(starts_, {});
}

void KernelReportParser::end_line() {
  ++lines_;
  if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
  process(partial_);
  partial_.clear();
  cutting_ = false;
}

std::vector<ReportStart> KernelReportParser::finish() {
  starts_.clear();
  if (!partial_.empty() || cutting_) end_line();
  close();
  return std::exchange(starts_, {});
}

std::vector<KernelReport> KernelReportParser::take() { return std::exchange(done_, {}); }

void KernelReportParser::process(std::string_view raw) {
  sv line = raw;
  const bool timestamped = strip_to_timestamp(line);
  // Lines without a timestamp amid a timestamped report are user space writing to the console.
  if (open_ && open_->timestamped && !timestamped) return;
  // "---[ end Kernel panic - not syncing: ... ]---" ends the panic, it does not begin another.
  if (line.starts_with("---[ end ")) {
    close();
    return;
  }
  auto h = match_header(line, open_ ? sv(open_->report.kind) : sv());
  if (h && h->kind == "oom-kill" && h->single_line && oom_victim_pending_) {
    oom_victim_pending_ = false;  // the victim of the oom-kill report already taken
    return;
  }
  if (h) {
    close();
    oom_victim_pending_ = h->kind == "oom-kill" && !h->single_line;
    Open o;
    o.report = KernelReport{
        std::string(h->kind), {}, std::string(line), std::move(h->task), h->pid, h->cpu, {}, lines_};
    o.detail = std::move(h->detail);
    o.timestamped = timestamped;
    starts_.push_back({o.report.kind, is_fatal(o.report.kind), o.report.first_line, lines_});
    open_ = std::move(o);
    if (h->single_line) close();
    return;
  }
  if (open_ && !consume(*open_, line)) close();
}

bool KernelReportParser::consume(Open& o, std::string_view line) {
  sv name;
  const FrameLine frame = parse_frame(line, name);
  const int marker = stack_marker(line);
  if (o.in_stack) {
    if (frame == FrameLine::reliable && o.report.stack.size() < k_max_frames)
      o.report.stack.emplace_back(name);
    if (frame != FrameLine::none) return true;
    if (marker != 0) {
      if (marker == -1 && trim(line) == "</TASK>") return false;
      o.in_block = marker == 1 || (marker == 2 && o.in_block);
      return true;
    }
    if (!o.in_block) return false;  // old kernels print no markers: any other line ends the trace
  } else if (trim(line) == "Call Trace:") {
    o.in_stack = true;
    return true;
  }
  if (line.starts_with("RIP: ") && o.rip.empty()) {
    const auto colon = line.find(':', 5);
    if (colon != sv::npos) o.rip = std::string(symbol_with_offset(line.substr(colon + 1)));
  }
  read_task(o.report, line);
  return ++o.context_lines < 200;
}

void KernelReportParser::close() {
  if (!open_) return;
  Open& o = *open_;
  o.report.title = make_title(o.report, o.detail, o.rip);
  if (done_.size() < k_max_reports)
    done_.push_back(std::move(o.report));
  else
    ++dropped_;
  open_.reset();
}

std::vector<KernelReport> parse_kernel_reports(std::string_view log) {
  KernelReportParser p;
  p.feed(log);
  p.finish();
  return p.take();
}

}  // namespace numalab::monitor
