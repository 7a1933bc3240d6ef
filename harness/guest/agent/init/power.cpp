#include "init/power.hpp"

#include <sys/reboot.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "init/console.hpp"

namespace numalab::guest {

bool is_init() { return ::getpid() == 1; }

void try_power_off() {
  ::sync();
  if (::reboot(RB_POWER_OFF) != 0) say(std::string("power off failed: ") + std::strerror(errno));
}

void idle_forever() {
  for (;;) ::pause();
}

void fatal(std::string_view why) {
  std::string text = "fatal: ";
  text.append(why);
  say(text);
  if (!is_init()) std::_Exit(1);
  tell_kernel_log(text);
  say("powering off");
  try_power_off();
  idle_forever();
}

}  // namespace numalab::guest
