#pragma once
// What the agent does because it is PID 1 of an initramfs: the pseudo file systems, a console on
// descriptors 0-2, reaping of orphans, and a last resort for uncaught exceptions.

#include <string>
#include <vector>

namespace numalab::guest {

// Mounts proc, sysfs, devtmpfs, tmpfs on /tmp and /run, and cgroup2 on /sys/fs/cgroup (already
// mounted is fine). Returns notes for the hello: what could not be mounted.
std::vector<std::string> mount_pseudo_file_systems();

// Makes sure descriptors 0, 1 and 2 are open: on /dev/console if possible, else /dev/null.
void ensure_console_descriptors();

// Reaps every child that exits, from a SIGCHLD handler. A later workload that waits for its own
// child must block SIGCHLD around that wait.
void reap_children();

// Everything above, plus: an uncaught exception powers off with a message instead of killing
// init. Returns the notes of mount_pseudo_file_systems.
std::vector<std::string> become_init();

// Not PID 1 as well: a closed reader must not kill the agent with SIGPIPE.
void ignore_sigpipe();

}  // namespace numalab::guest
