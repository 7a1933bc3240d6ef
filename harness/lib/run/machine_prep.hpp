#pragma once
// What each machine needs before QEMU can start: its kernel and its guest image. Everything that
// can be wrong with the input is found here, before anything is started.

#include <filesystem>
#include <string>
#include <vector>

#include "image/initramfs.hpp"
#include "kernel/kernel_resolver.hpp"
#include "lab/lab.hpp"

namespace numalab::run {

struct MachinePrep {
  const lab::Machine* machine = nullptr;
  kernel::ResolvedKernel kernel;
  image::BuiltImage image;
};

struct PrepInputs {
  std::optional<std::string> kernel_override;
  std::filesystem::path cache_dir;
  std::filesystem::path agent_binary;
  std::string qemu_binary;
  bool terminal = false;  // kernel build progress redraws one line
};

util::Result<std::vector<MachinePrep>> prepare_machines(const lab::Lab& lab, const PrepInputs& in,
                                                        const std::function<void(const std::string&)>& say);

}  // namespace numalab::run
