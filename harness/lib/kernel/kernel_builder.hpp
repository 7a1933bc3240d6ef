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

#include "kernel/build_events.hpp"
#include "lab/lab.hpp"
#include "util/error.hpp"
#include "util/stop_request.hpp"

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
  int jobs = 0;  // 0: all cores
  // What the build tells its watcher (kernel/build_events.hpp); nothing else is printed.
  BuildEvents on_event = [](const BuildEvent&) {};
  // Ctrl-C: make is stopped and the build fails with ErrorKind::interrupted. nullptr: never.
  util::StopRequest* stop = nullptr;
  void note(const std::string& kernel, std::string text) const {
    on_event(KernelNote{kernel, std::move(text)});
  }
};

util::Result<BuiltKernel> build_kernel(const lab::KernelSpec& spec, const BuildOptions& options);

}  // namespace numalab::kernel
