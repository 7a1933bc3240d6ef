#pragma once
// After `make olddefconfig`: which options the fragments asked for did not come out as asked.
// merge_config.sh and olddefconfig drop an option whose dependencies are not met without a word.

#include <string>
#include <vector>

#include "kernel/kconfig.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

struct DroppedOption {
  std::string name;          // without CONFIG_
  KconfigSetting requested;  // with the fragment line that asked
  KconfigValue resolved;     // what the .config has
  std::string hint;          // why, when known: "check its dependencies: depends on SWAP && NFS_FS"
};

// Every requested option whose resolved value differs, in name order: =y that came out =m or not
// set, "is not set" that came out set, a number that came out another. Numbers compare by value.
std::vector<DroppedOption> dropped_options(const KconfigSettings& requested, const KconfigSettings& resolved);

// "kernels/numa-lab.config:57: CONFIG_NFS_SWAP=y requested, not set in the result (HINT)"
std::string describe(const DroppedOption& dropped);

// A bad_input error listing them all, one a line, for the kernel build to return.
util::Error dropped_options_error(const std::vector<DroppedOption>& dropped);

}  // namespace numalab::kernel
