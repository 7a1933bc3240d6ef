#pragma once
// Finds the virtio-serial port the host named org.numalab.agent. The port's device appears
// asynchronously after virtio_console binds, so the search polls sysfs until a deadline.

#include <expected>
#include <filesystem>
#include <string>

#include "util/deadline.hpp"
#include "util/unique_fd.hpp"

namespace numalab::guest {

// Scans root/sys/class/virtio-ports/*/name for port_name and opens root/dev/<that folder's name>
// (e.g. /dev/vport1p1) read-write. If the device node is missing (no devtmpfs), creates it from
// the folder's "dev" file. Polls until the deadline; the error explains what was seen.
std::expected<util::UniqueFd, std::string> open_agent_port(const std::filesystem::path& root,
                                                           const std::string& port_name,
                                                           util::Deadline deadline);

// The folder name under root/sys/class/virtio-ports whose "name" file is port_name, or "".
std::string find_port_device(const std::filesystem::path& root, const std::string& port_name);

}  // namespace numalab::guest
