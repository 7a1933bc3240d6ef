#pragma once
// Builds a lab kernel from a [kernel.NAME] table: base source + patch series + tinyconfig and the
// config fragments in kernels/, checked for dropped options, built out of tree with ccache on all
// cores, and stored under a content-addressed key:
//   CACHE/kernels/built/KEY/{bzImage, vmlinux, config, build.log, meta.json}
// KEY hashes the base identity, the series content, the resolved .config and the compiler, so the
// same inputs never build twice.

#include <filesystem>
#include <functional>
#include <string>

#include "lab/lab.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

struct BuiltKernel {
  std::string name;
  std::string key;
  std::filesystem::path dir;
  std::filesystem::path bzimage;
  bool cached = false;  // no compile work was done
  double seconds = 0;   // the build's time, or 0 when cached
};

struct BuildOptions {
  std::filesystem::path project_root;  // where patches/ and kernels/ are
  std::filesystem::path cache_dir;
  int jobs = 0;           // 0: all cores
  bool terminal = false;  // redraw one progress line; else a line every 30 s
  std::function<void(const std::string&)> say = [](const std::string&) {};
};

util::Result<BuiltKernel> build_kernel(const lab::KernelSpec& spec, const BuildOptions& options);

}  // namespace numalab::kernel
