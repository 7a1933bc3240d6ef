#pragma once
// Concurrent network load for swap-nfs (`net_load = true`): the nfs-server machine streams bytes
// over TCP to whoever connects to workload::k_net_load_port; the swapping client receives them on
// an ordinary socket while its hog runs. Those receive buffers compete with the swap socket's for
// memory: the 2007 series had to keep such traffic out of the reserves (in 6.1 a pfmemalloc skb is
// dropped for any socket not tagged SOCK_MEMALLOC). Neither end is a progress counter: bytes
// still flowing must not hide a swap deadlock from the host.

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <thread>

#include "util/unique_fd.hpp"

namespace numalab::guest {

// The server end: a listener and up to k_max_clients connections, each sent 64 KiB chunks as fast
// as it takes them, from one thread, until the object is destroyed.
class NetLoadSource {
 public:
  static constexpr int k_max_clients = 4;
  static std::expected<std::unique_ptr<NetLoadSource>, std::string> listen(std::uint16_t port);
  ~NetLoadSource();
  NetLoadSource(const NetLoadSource&) = delete;
  NetLoadSource& operator=(const NetLoadSource&) = delete;
  std::uint64_t bytes_sent() const { return sent_.load(); }
  int connections() const { return accepted_.load(); }

 private:
  explicit NetLoadSource(util::UniqueFd listener);
  void run();
  util::UniqueFd listener_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// The client end: one connection, read until the object is destroyed.
class NetLoadSink {
 public:
  // Connects within a few seconds or says why not.
  static std::expected<std::unique_ptr<NetLoadSink>, std::string> connect(const std::string& ipv4,
                                                                          std::uint16_t port);
  ~NetLoadSink();
  NetLoadSink(const NetLoadSink&) = delete;
  NetLoadSink& operator=(const NetLoadSink&) = delete;
  std::uint64_t bytes_received() const { return received_.load(); }
  // "" while the stream lasts; how it ended otherwise ("the server closed the connection").
  std::string ended() const;

 private:
  explicit NetLoadSink(util::UniqueFd fd);
  void run();
  util::UniqueFd fd_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<bool> ended_flag_{false};
  std::string ended_;  // written by the thread before ended_flag_
  std::thread thread_;
};

}  // namespace numalab::guest
