#include "monitor/kernel_report_lines.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace numalab::monitor::report_lines {

bool has(sv s, sv part) { return s.find(part) != sv::npos; }

sv trim(sv s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int to_int(sv s) {
  int v = -1;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} ? v : -1;
}

// The decimal number at the start of s, or -1.
int leading_int(sv s) {
  std::size_t n = 0;
  while (n < s.size() && n < 9 && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  return n == 0 ? -1 : to_int(s.substr(0, n));
}

// Removes "[  123.456789] " and a following caller id "[    T12] "; says whether there was one.
bool strip_timestamp(sv& line) {
  bool stripped = false;
  for (int i = 0; i < 2 && !line.empty() && line.front() == '['; ++i) {
    const auto end = line.find(']');
    if (end > 20) break;  // sv::npos too: no ']' at all
    const sv inner = trim(line.substr(1, end - 1));
    const bool time = i == 0 && !inner.empty() && inner.find_first_not_of("0123456789.") == sv::npos;
    const bool caller = i == 1 && inner.size() > 1 && (inner[0] == 'T' || inner[0] == 'C') &&
                        inner.find_first_not_of("0123456789", 1) == sv::npos;
    if (!time && !caller) break;
    line.remove_prefix(end + 1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    stripped = true;
  }
  return stripped;
}

namespace {

// "[    2.235458]" at s's start: digits, '.', six digits, in brackets, blanks before the digits.
bool printk_stamp_at(sv s) {
  if (s.size() < 10 || s.front() != '[') return false;
  const auto end = s.find(']');
  if (end > 20) return false;  // sv::npos too: no ']' at all
  const sv inner = trim(s.substr(1, end - 1));
  const auto dot = inner.find('.');
  if (dot == sv::npos || dot == 0 || inner.size() - dot - 1 != 6) return false;
  return inner.find_first_not_of("0123456789.") == sv::npos && inner.find('.', dot + 1) == sv::npos;
}

}  // namespace

bool strip_to_timestamp(sv& line) {
  if (strip_timestamp(line)) return true;
  for (auto at = line.find('['); at != sv::npos; at = line.find('[', at + 1)) {
    if (!printk_stamp_at(line.substr(at))) continue;
    sv rest = line.substr(at);
    if (!strip_timestamp(rest)) return false;
    line = rest;
    return true;
  }
  return false;
}

namespace {

bool symbol_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$';
}

}  // namespace

// "func+0x1d/0x30" -> "func"; "" when s does not start with a symbol and an offset.
sv symbol_with_offset(sv s) {
  std::size_t n = 0;
  while (n < s.size() && symbol_char(s[n])) ++n;
  if (n == 0 || s.substr(n, 3) != "+0x") return {};
  return s.substr(0, n);
}

FrameLine parse_frame(sv line, sv& name) {
  if (line.empty() || (line.front() != ' ' && line.front() != '\t')) return FrameLine::none;
  sv s = trim(line);
  bool unreliable = false;
  if (s.starts_with("? ")) {
    unreliable = true;
    s.remove_prefix(2);
  }
  if (s.starts_with("[<")) {  // older kernels: " [<ffffffff81234567>] func+0x1/0x2"
    const auto end = s.find("] ");
    if (end == sv::npos) return FrameLine::none;
    s.remove_prefix(end + 2);
    if (s.starts_with("? ")) {
      unreliable = true;
      s.remove_prefix(2);
    }
  }
  name = symbol_with_offset(s);
  if (name.empty()) return FrameLine::none;
  return unreliable ? FrameLine::unreliable : FrameLine::reliable;
}

// "<TASK>", "</IRQ>", "<EOI>" ...: 1 opens a block, -1 closes one, 0 is not a marker.
int stack_marker(sv line) {
  const sv s = trim(line);
  if (s.size() < 3 || s.size() > 12 || s.front() != '<' || s.back() != '>') return 0;
  if (s == "<EOI>") return 2;
  return s[1] == '/' ? -1 : 1;
}

// "topology_sane.isra.0" -> "topology_sane": compiler clone suffixes change between builds.
sv base_function(sv f) { return f.substr(0, f.find('.')); }

// Replaces hexadecimal and decimal numbers so that messages compare equal across runs.
std::string normalise_text(sv s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const bool word_start =
        i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_');
    if (word_start && s.substr(i, 2) == "0x") {
      i += 2;
      while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) ++i;
      out += "ADDR";
    } else if (word_start && std::isdigit(static_cast<unsigned char>(s[i]))) {
      while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) ++i;
      out += 'N';
    } else {
      out += s[i++];
    }
  }
  return out;
}

// Frames that say how the kernel reported or waited, not where the bug is.
bool uninteresting_frame(sv f) {
  static constexpr std::array<sv, 31> exact = {
      "schedule", "schedule_timeout", "schedule_preempt_disabled", "io_schedule", "wait_for_completion",
      "flush_work", "dump_header", "oom_kill_process", "out_of_memory", "warn_alloc", "panic", "report_bug",
      "down_read", "down_write",
      // busy-wait primitives: a spinning CPU's RIP lands in
      // one of them or in its caller, by chance
      "delay_tsc", "delay_halt", "delay_loop", "__delay", "__const_udelay", "__udelay", "native_sched_clock",
      "local_clock",
      // lockdep's and the lock debugging's own frames
      "mark_lock", "lock_release", "debug_check_no_locks_freed", "__mutex_unlock_slowpath", "mutex_unlock",
      "msleep", "slab_free_freelist_hook", "__kmem_cache_free", "kfree"};
  static constexpr std::array<sv, 22> prefixes = {
      "dump_stack",    "show_stack",  "__dump_stack",    "__schedule",       "__wait_for_common",
      "__flush_work",  "__warn",      "warn_slowpath",   "__alloc_pages",    "alloc_pages",
      "__folio_alloc", "folio_alloc", "vma_alloc_folio", "__get_free_pages", "__mutex_lock",
      "mutex_lock",    "rwsem_down",  "_raw_spin",       "lock_acquire",     "__lock_acquire",
      "lockdep_",      "__might_"};
  f = base_function(f);
  for (sv e : exact)
    if (f == e) return true;
  for (sv p : prefixes)
    if (f.starts_with(p)) return true;
  return f.starts_with("print_") || f.starts_with("check_") || f == "validate_chain" || f == "might_sleep";
}

}  // namespace numalab::monitor::report_lines
