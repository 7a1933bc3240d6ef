#pragma once
// Which kernel module files a guest needs: the modules asked for and everything they depend on,
// read from the kernel's modules.dep, in an order that loads dependencies first.

#include <filesystem>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace numalab::image {

// modules_dir: lib/modules/RELEASE. Names may use '-' or '_' ("pvpanic-mmio", "virtio_pci").
// Returns paths relative to modules_dir, dependencies before their users, each once.
// A name the kernel has no module for is an error, unless the kernel has it built in
// (listed in modules.builtin), in which case it is skipped.
util::Result<std::vector<std::string>> module_load_order(const std::filesystem::path& modules_dir,
                                                         const std::vector<std::string>& names);

// Parses modules.dep text: "kernel/a.ko: kernel/b.ko kernel/c.ko" per line.
struct ModuleDep {
  std::string path;
  std::vector<std::string> deps;
};
std::vector<ModuleDep> parse_modules_dep(std::string_view text);

}  // namespace numalab::image
