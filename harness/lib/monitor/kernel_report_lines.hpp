#pragma once
// The line-level reading of kernel reports (kernel_report.hpp): printk timestamps, stack frames
// and their markers, and the normalisation that makes a report's title the same across runs.

#include <string>
#include <string_view>

namespace numalab::monitor::report_lines {

using sv = std::string_view;

bool has(sv s, sv part);
sv trim(sv s);
int to_int(sv s);       // the whole of s as a decimal int, or -1
int leading_int(sv s);  // the decimal number at the start of s, or -1

// Removes "[  123.456789] " and a following caller id "[    T12] "; says whether there was one.
bool strip_timestamp(sv& line);
// strip_timestamp, or else, when user space's console output ran into a kernel line
// ("numalab-agent: wri[    2.235458] BUG: kernel NULL pointer ..."), drops everything up to and
// including the first "[SECONDS.MICROS] " stamp of the line. Says whether it found a stamp.
bool strip_to_timestamp(sv& line);

// "func+0x1d/0x30" -> "func"; "" when s does not start with a symbol and an offset.
sv symbol_with_offset(sv s);

enum class FrameLine { none, reliable, unreliable };
// A stack frame line (" func+0x1/0x2", " ? func+...", " [<ffff...>] func+..."), its function in name.
FrameLine parse_frame(sv line, sv& name);

// "<TASK>", "</IRQ>", "<EOI>" ...: 1 opens a block, -1 closes one, 2 is <EOI>, 0 is not a marker.
int stack_marker(sv line);

// "topology_sane.isra.0" -> "topology_sane": compiler clone suffixes change between builds.
sv base_function(sv f);

// Replaces hexadecimal and decimal numbers so that messages compare equal across runs.
std::string normalise_text(sv s);

// Frames that say how the kernel reported or waited, not where the bug is.
bool uninteresting_frame(sv f);

}  // namespace numalab::monitor::report_lines
