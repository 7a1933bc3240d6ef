#include "kernel/kernel_cache_key.hpp"

#include "util/sha256.hpp"

namespace numalab::kernel {

std::string KernelCacheKey::hex() const {
  // Each field on its own labelled line, so no two field lists hash the same text.
  return util::sha256_hex("numalab-kernel 1\nbase " + base_identity + "\nseries " + series_hash +
                          "\nconfig " + config_hash + "\ncompiler " + compiler + "\n")
      .substr(0, 24);
}

}  // namespace numalab::kernel
