#include "bundle/bundle_entry.hpp"

namespace numalab::bundle {

bool add_file_if_present(std::vector<BundleEntry>& entries, std::string name,
                         const std::filesystem::path& source) {
  std::error_code ec;
  if (source.empty() || !std::filesystem::is_regular_file(source, ec)) return false;
  entries.push_back({std::move(name), source, {}});
  return true;
}

}  // namespace numalab::bundle
