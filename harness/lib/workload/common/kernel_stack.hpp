#pragma once
// Where a task sleeps in the kernel, as function names:
//   /proc/PID/task/TID/stack (proc_pid_stack, CONFIG_STACKTRACE; root only), innermost frame
//   first, one line each: "[<0>] mutex_lock+0x1c/0x30". 6.1 hides the address as 0; kernels before
//   4.15 printed it ("[<ffffffff81a2c3d0>] ..."), read the same. A module's function ends in
//   " [name]"; a frame kallsyms does not know is its address, "0xffffffffc0123456".
//   /proc/PID/task/TID/wchan (proc_pid_wchan): the function it sleeps in, "mutex_lock", or "0"
//   when the kernel cannot say (running, no symbol, no permission).
//
// The text comes from the guest kernel: parsing is total and bounded (at most
// k_max_kernel_stack_bytes of text, max_frames frames); names come out as printable ASCII (any
// other byte is '?') of at most max_name_bytes, so they can go to the host as they are.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::workload {

inline constexpr std::size_t k_max_kernel_stack_bytes = 64 * 1024;  // the kernel prints at most 64 frames

// The function of one frame: "mutex_lock+0x1c/0x30 [mod]" -> "mutex_lock".
std::string kernel_function(std::string_view frame, std::size_t max_name_bytes);

// The frames of a stack file that have a function, innermost first; lines that are not frames are
// skipped. Longer text than k_max_kernel_stack_bytes gives no frames.
std::vector<std::string> parse_kernel_stack(std::string_view text, std::size_t max_frames,
                                            std::size_t max_name_bytes);

// The function of a wchan file; "" for "0" or nothing.
std::string parse_wchan(std::string_view text, std::size_t max_name_bytes);

// s as printable ASCII, each other byte as '?', cut at max_bytes: a comm or symbol for the wire.
std::string printable_name(std::string_view s, std::size_t max_bytes);

}  // namespace numalab::workload
