#pragma once

#include <filesystem>

namespace numalab::util {

// numalab's cache: $NUMALAB_CACHE, else $XDG_CACHE_HOME/numalab, else ~/.cache/numalab.
std::filesystem::path cache_dir();

}  // namespace numalab::util
