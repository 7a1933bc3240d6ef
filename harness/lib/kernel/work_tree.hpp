#pragma once
// The source and build folders of one lab kernel, kept between builds so a one-line change to its
// series rebuilds one file, not the kernel:
//   CACHE/work/NAME/src     the base, hard-linked, with the series applied (GNU patch replaces the
//                           files it changes, so the base is never written)
//   CACHE/work/NAME/build   kbuild's O= folder
// When the series changes, src is made anew from the base; the files the old or the new series
// touch get fresh inodes and times, every other file keeps the base's, so make rebuilds exactly
// what changed. A new base, or a work folder whose state file is missing, empties build first:
// files back at the base's older times must not meet newer objects. A patch that fails leaves the
// previous src as it was.

#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include "kernel/base_source.hpp"
#include "kernel/patch_series.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

struct WorkTree {
  std::filesystem::path src;
  std::filesystem::path build;
  bool changed = false;          // src was made anew
  bool touches_kconfig = false;  // the old or the new series changes a Kconfig file
};

// The files a series changes, creates or deletes, relative to the tree ("mm/mempolicy.c").
std::set<std::string> files_touched(const PatchSeries& series);

// CACHE/work/NAME: a kernel's work folder (src, build, its state, and the lock of its builds).
std::filesystem::path work_tree_root(const std::filesystem::path& cache_dir, const std::string& kernel_name);

util::Result<WorkTree> prepare_work_tree(const std::string& kernel_name, const BaseSource& base,
                                         const PatchSeries& series, const std::filesystem::path& cache_dir,
                                         const std::function<void(const std::string&)>& say);

}  // namespace numalab::kernel
