#pragma once
// The buffer of a NUMA-balancing worker process: slices, each its own mapping so numa_maps shows
// each slice on its own line, separated by PROT_NONE guard gaps of 2 MiB (different protections
// keep the kernel from merging the mappings; 2 MiB keeps every slice aligned for transparent huge
// pages). The agent maps it before forking, so every worker inherits the same addresses, and
// unmaps its own copy afterwards: the workers' pages are theirs alone.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "workload/numa_balancing/locality.hpp"

namespace numalab::guest {

inline constexpr std::size_t k_huge_page_bytes = 2 * 1024 * 1024;

struct BufferLayout {
  std::size_t slices = 1;
  std::size_t slice_bytes = 0;  // a multiple of 2 MiB when it is at least that, else of 4 KiB
  std::size_t stride = 0;       // slice_bytes + the guard gap
};

// Per process bytes split into slices.
BufferLayout buffer_layout(std::uint64_t process_bytes, std::size_t slices);

class WorkerBuffer {
 public:
  static std::expected<WorkerBuffer, std::string> map(const BufferLayout& layout);
  WorkerBuffer(WorkerBuffer&& o) noexcept;
  WorkerBuffer& operator=(WorkerBuffer&&) = delete;
  WorkerBuffer(const WorkerBuffer&) = delete;
  ~WorkerBuffer() { unmap(); }

  std::byte* base() const { return base_; }
  std::vector<workload::AddressRange> slice_ranges() const;
  void unmap();  // the agent's copy; idempotent

 private:
  WorkerBuffer(void* mapping, std::size_t mapping_bytes, std::byte* base, BufferLayout layout)
      : mapping_(mapping), mapping_bytes_(mapping_bytes), base_(base), layout_(layout) {}

  void* mapping_ = nullptr;
  std::size_t mapping_bytes_ = 0;
  std::byte* base_ = nullptr;
  BufferLayout layout_;
};

}  // namespace numalab::guest
