#pragma once
// Loads the kernel modules the image builder listed, in order, with finit_module(2): the initramfs
// has no modprobe and needs none, because the list is already in dependency order.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::guest {

inline constexpr const char* k_modules_list = "/etc/numalab/modules.load";

// One module per line: a path relative to modules_dir, then optional parameters
// ("kernel/drivers/char/virtio_console.ko" or "foo.ko opt=1 other=2"). Blank lines and lines
// starting with '#' are skipped. A missing list loads nothing. Returns a note per module that did
// not load; a module that is already loaded (EEXIST) is fine.
std::vector<std::string> load_modules(const std::filesystem::path& list,
                                      const std::filesystem::path& modules_dir);

// /lib/modules/<uname -r>.
std::filesystem::path running_kernel_modules_dir();

// finit_module flags for a file name: MODULE_INIT_COMPRESSED_FILE for .ko.xz, .ko.zst and .ko.gz
// (the kernel decompresses them itself when built with CONFIG_MODULE_DECOMPRESS), else 0.
int module_init_flags(std::string_view file_name);

}  // namespace numalab::guest
