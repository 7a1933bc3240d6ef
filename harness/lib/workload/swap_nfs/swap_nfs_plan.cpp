#include "workload/swap_nfs/swap_nfs_plan.hpp"

#include <algorithm>
#include <cmath>

#include "workload/common/params.hpp"

namespace numalab::workload {

namespace {

constexpr std::uint64_t k_mib = 1 << 20;

std::expected<double, std::string> ratio_param(const nlohmann::json& params) {
  auto it = params.find("ratio");
  if (it == params.end()) return k_default_swap_ratio;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < k_min_swap_ratio ||
      it->get<double>() > k_max_swap_ratio)
    return std::unexpected("params.ratio must be a number from 0.1 to 16 (the hog's memory over MemTotal)");
  return it->get<double>();
}

}  // namespace

std::expected<SwapNfsParams, std::string> swap_nfs_params(const nlohmann::json& params) {
  SwapNfsParams out;
  auto server = string_param(params, "server");
  if (!server) return std::unexpected(server.error());
  if (!*server || (*server)->empty())
    return std::unexpected("params.server must name the lab's NFS server machine");
  out.server = **server;
  auto version = string_param(params, "nfs_version");
  if (!version) return std::unexpected(version.error());
  if (*version) {
    if (**version != "3" && **version != "4.2")
      return std::unexpected("params.nfs_version must be \"3\" or \"4.2\", not \"" +
                             (**version).substr(0, 16) + "\"");
    out.nfs_version = **version;
  }
  auto export_path = string_param(params, "export");
  if (!export_path) return std::unexpected(export_path.error());
  if (*export_path) {
    const std::string& e = **export_path;
    if (e.empty() || e.front() != '/' || e.size() > 1024 || e.find_first_of(",\n ") != std::string::npos)
      return std::unexpected("params.export must be an absolute path without commas or spaces");
    out.export_path = e;
  }
  auto ratio = ratio_param(params);
  if (!ratio) return std::unexpected(ratio.error());
  out.ratio = *ratio;
  auto passes = integer_param(params, "passes", 1, k_max_swap_passes);
  if (!passes) return std::unexpected(passes.error());
  out.passes = static_cast<std::uint32_t>(passes->value_or(1));
  auto threads = integer_param(params, "threads", 1, k_max_swap_hog_threads);
  if (!threads) return std::unexpected(threads.error());
  out.threads = static_cast<std::uint32_t>(threads->value_or(1));
  auto swap_size = size_param(params, "swap_size");
  if (!swap_size) return std::unexpected(swap_size.error());
  if (*swap_size && **swap_size < 64 * k_mib) return std::unexpected("params.swap_size must be at least 64M");
  out.swap_size = *swap_size;
  if (auto it = params.find("net_load"); it != params.end()) {
    if (!it->is_boolean()) return std::unexpected("params.net_load must be true or false");
    out.net_load = it->get<bool>();
  }
  return out;
}

std::uint64_t hog_pages(std::uint64_t mem_total_kb, double ratio, std::uint64_t page_size) {
  const double bytes = static_cast<double>(mem_total_kb) * 1024.0 * ratio;
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(bytes / static_cast<double>(page_size)));
}

std::uint64_t swap_file_bytes(std::uint64_t hog_bytes) {
  const std::uint64_t bytes = hog_bytes + 32 * k_mib;
  return (bytes + k_mib - 1) / k_mib * k_mib;
}

std::uint64_t swapoff_keep_pages(std::uint64_t hog_pages, std::uint64_t available_kb,
                                 std::uint64_t page_size) {
  return std::min({hog_pages, available_kb * 1024 / 2 / page_size, k_max_swapoff_keep_bytes / page_size});
}

}  // namespace numalab::workload
