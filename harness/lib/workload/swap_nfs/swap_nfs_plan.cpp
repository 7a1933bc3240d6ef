#include "workload/swap_nfs/swap_nfs_plan.hpp"

#include <algorithm>

#include "workload/common/params.hpp"
#include "workload/swap_nfs/swap_nfs_spec.hpp"

namespace numalab::workload {

namespace {

constexpr std::uint64_t k_mib = 1 << 20;

}  // namespace

std::expected<SwapNfsParams, std::string> swap_nfs_params(const nlohmann::json& params) {
  const auto& spec = swap_nfs_spec().params;
  SwapNfsParams out;
  auto server = string_param(params, spec, "server");
  if (!server) return std::unexpected(server.error());
  if (!*server || (*server)->empty())
    return std::unexpected("params.server must name the lab's NFS server machine");
  out.server = **server;
  auto version = string_param(params, spec, "nfs_version");
  if (!version) return std::unexpected(version.error());
  out.nfs_version = version->value();
  auto export_path = string_param(params, spec, "export");
  if (!export_path) return std::unexpected(export_path.error());
  const std::string& e = export_path->value();
  if (e.empty() || e.front() != '/' || e.size() > 1024 || e.find_first_of(",\n ") != std::string::npos)
    return std::unexpected("params.export must be an absolute path without commas or spaces");
  out.export_path = e;
  auto ratio = number_param(params, spec, "ratio");
  if (!ratio) return std::unexpected(ratio.error());
  out.ratio = ratio->value();
  auto passes = integer_param(params, spec, "passes");
  if (!passes) return std::unexpected(passes.error());
  out.passes = static_cast<std::uint32_t>(passes->value());
  auto threads = integer_param(params, spec, "threads");
  if (!threads) return std::unexpected(threads.error());
  out.threads = static_cast<std::uint32_t>(threads->value());
  auto swap_size = size_param(params, spec, "swap_size");
  if (!swap_size) return std::unexpected(swap_size.error());
  out.swap_size = *swap_size;
  auto net_load = boolean_param(params, spec, "net_load");
  if (!net_load) return std::unexpected(net_load.error());
  out.net_load = net_load->value();
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
