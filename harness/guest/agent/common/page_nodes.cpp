#include "common/page_nodes.hpp"

#include <numaif.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "workload/common/page_placement_check.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point began) {
  return std::chrono::duration<double>(Clock::now() - began).count();
}

// One 64-bit word of nodemask. The kernel reads maxnode - 1 bits (get_nodes starts with
// --maxnode), so a whole word is passed as maxnode = 65, as libnuma does.
constexpr unsigned long k_maxnode = 65;

std::expected<unsigned long, std::string> node_mask(const workload::NodeSet& nodes) {
  unsigned long mask = 0;
  for (int n : nodes) {
    if (n < 0 || n >= 64)
      return std::unexpected("node " + std::to_string(n) + " is beyond the 64 this workload handles");
    mask |= 1UL << n;
  }
  return mask;
}

}  // namespace

std::expected<std::vector<int>, std::string> query_page_nodes(pid_t pid, std::vector<void*>& pages) {
  std::vector<int> status(pages.size(), workload::k_status_not_written);
  if (::move_pages(pid, pages.size(), pages.data(), nullptr, status.data(), 0) < 0)
    return std::unexpected(std::string("move_pages(nodes = NULL): ") + std::strerror(errno));
  return status;
}

std::expected<MovePagesResult, std::string> move_pages_to(pid_t pid, std::vector<void*>& pages,
                                                          const std::vector<int>& targets) {
  if (targets.size() != pages.size()) return std::unexpected("a target node is needed for every page");
  MovePagesResult r;
  r.status.assign(pages.size(), workload::k_status_not_written);
  auto began = Clock::now();
  r.not_moved = ::move_pages(pid, pages.size(), pages.data(), targets.data(), r.status.data(), MPOL_MF_MOVE);
  r.seconds = seconds_since(began);
  if (r.not_moved < 0) return std::unexpected(std::string("move_pages: ") + std::strerror(errno));
  return r;
}

std::expected<MigratePagesResult, std::string> migrate_pages_between(pid_t pid, const workload::NodeSet& from,
                                                                     const workload::NodeSet& to) {
  auto from_mask = node_mask(from);
  if (!from_mask) return std::unexpected(from_mask.error());
  auto to_mask = node_mask(to);
  if (!to_mask) return std::unexpected(to_mask.error());
  MigratePagesResult r;
  auto began = Clock::now();
  r.not_migrated = ::migrate_pages(pid, k_maxnode, &*from_mask, &*to_mask);
  r.seconds = seconds_since(began);
  if (r.not_migrated < 0) return std::unexpected(std::string("migrate_pages: ") + std::strerror(errno));
  return r;
}

}  // namespace numalab::guest
