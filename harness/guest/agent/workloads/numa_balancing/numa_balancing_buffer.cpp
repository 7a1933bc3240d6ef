#include "workloads/numa_balancing/numa_balancing_buffer.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace numalab::guest {

namespace {

constexpr std::size_t k_page_bytes = 4096;

}  // namespace

BufferLayout buffer_layout(std::uint64_t process_bytes, std::size_t slices) {
  BufferLayout l;
  l.slices = slices == 0 ? 1 : slices;
  std::uint64_t each = process_bytes / l.slices;
  std::size_t unit = each >= k_huge_page_bytes ? k_huge_page_bytes : k_page_bytes;
  l.slice_bytes = static_cast<std::size_t>(each / unit * unit);
  if (l.slice_bytes == 0) l.slice_bytes = k_page_bytes;
  l.stride = l.slice_bytes + k_huge_page_bytes;
  return l;
}

std::expected<WorkerBuffer, std::string> WorkerBuffer::map(const BufferLayout& layout) {
  std::size_t bytes = layout.slices * layout.stride + k_huge_page_bytes;  // + room to align
  void* m = ::mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED)
    return std::unexpected("mmap of " + std::to_string(bytes >> 20) + " MiB: " + std::strerror(errno));
  auto address = reinterpret_cast<std::uintptr_t>(m);
  auto aligned = (address + k_huge_page_bytes - 1) / k_huge_page_bytes * k_huge_page_bytes;
  WorkerBuffer buffer(m, bytes, static_cast<std::byte*>(m) + (aligned - address), layout);
  for (std::size_t s = 0; s < layout.slices; ++s)
    if (::mprotect(buffer.base_ + s * layout.stride, layout.slice_bytes, PROT_READ | PROT_WRITE) != 0)
      return std::unexpected(std::string("mprotect of a slice: ") + std::strerror(errno));
  return buffer;
}

WorkerBuffer::WorkerBuffer(WorkerBuffer&& o) noexcept
    : mapping_(std::exchange(o.mapping_, nullptr)),
      mapping_bytes_(o.mapping_bytes_),
      base_(o.base_),
      layout_(o.layout_) {}

std::vector<workload::AddressRange> WorkerBuffer::slice_ranges() const {
  std::vector<workload::AddressRange> out;
  auto base = reinterpret_cast<std::uintptr_t>(base_);
  for (std::size_t s = 0; s < layout_.slices; ++s)
    out.push_back({base + s * layout_.stride, base + s * layout_.stride + layout_.slice_bytes});
  return out;
}

void WorkerBuffer::unmap() {
  if (mapping_) ::munmap(mapping_, mapping_bytes_);
  mapping_ = nullptr;
}

}  // namespace numalab::guest
