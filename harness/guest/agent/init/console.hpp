#pragma once
// Where the agent tells a person what it does: the console (stderr; for PID 1 that is
// /dev/console, which the host captures) and, for what must not be missed, the kernel log.

#include <string_view>

namespace numalab::guest {

// "numalab-agent: <text>\n" to stderr in one write.
void say(std::string_view text);

// The same line in the kernel log (/dev/kmsg) at error level; does nothing if that cannot be
// opened.
void tell_kernel_log(std::string_view text);

}  // namespace numalab::guest
