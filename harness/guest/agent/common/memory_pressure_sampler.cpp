#include "common/memory_pressure_sampler.hpp"

#include <algorithm>

#include "common/metric.hpp"
#include "common/proc_file.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_max_pressure_bytes = 4096;

std::optional<workload::Pressure> read_pressure(const std::filesystem::path& path) {
  auto text = read_proc_file(path, k_max_pressure_bytes);
  if (!text) return std::nullopt;
  auto p = workload::parse_pressure(*text);
  if (!p) return std::nullopt;
  return *p;
}

agent::Metric seconds(std::string name, std::uint64_t first_us, std::uint64_t last_us) {
  double s = last_us >= first_us ? static_cast<double>(last_us - first_us) / 1e6 : 0.0;
  return metric(std::move(name), s, "s", model::Better::lower);
}

}  // namespace

MemoryPressureSampler::MemoryPressureSampler(const std::filesystem::path& root,
                                             std::chrono::milliseconds interval)
    : path_(root / "proc/pressure/memory"), interval_(interval) {
  first_ = read_pressure(path_);
  if (!first_) return;  // no PSI: nothing to sample
  last_ = first_;
  max_some_avg10_ = first_->some.avg10;
  thread_ = std::thread([this] { run(); });
}

void MemoryPressureSampler::take_sample() {
  auto p = read_pressure(path_);
  std::lock_guard lock(mutex_);
  if (!p) return;  // a torn or failed read: the next one counts
  last_ = p;
  max_some_avg10_ = std::max(max_some_avg10_, p->some.avg10);
}

void MemoryPressureSampler::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    take_sample();
    lock.lock();
  }
}

void MemoryPressureSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<agent::Metric> MemoryPressureSampler::finish() {
  stop();
  if (!first_)
    return {absent_metric("psi_memory_some_avg10_max", "%", model::Better::lower),
            absent_metric("psi_memory_some_s", "s", model::Better::lower),
            absent_metric("psi_memory_full_s", "s", model::Better::lower)};
  take_sample();
  std::lock_guard lock(mutex_);
  std::vector<agent::Metric> out = {
      metric("psi_memory_some_avg10_max", max_some_avg10_, "%", model::Better::lower),
      seconds("psi_memory_some_s", first_->some.total_us, last_->some.total_us),
  };
  if (first_->full && last_->full)
    out.push_back(seconds("psi_memory_full_s", first_->full->total_us, last_->full->total_us));
  else
    out.push_back(absent_metric("psi_memory_full_s", "s", model::Better::lower));
  return out;
}

}  // namespace numalab::guest
