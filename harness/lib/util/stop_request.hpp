#pragma once
// "Stop now": Ctrl-C (SIGINT), SIGTERM or SIGHUP, as the library sees it. The command line owns the
// signals (util/signal_catcher.hpp, for the whole life of the process, so that no signal can end
// numalab before it has stopped its VMs and stored what it has); the library only asks whether a
// stop was requested, and polls fd() in its loops so that it wakes at once.

namespace numalab::util {

class StopRequest {
 public:
  virtual ~StopRequest() = default;
  // Becomes readable when a stop may have been requested; -1 when there is nothing to poll.
  virtual int fd() const = 0;
  // The signal that requested the stop, or 0. Once one came it stays (latched). Never blocks.
  virtual int signal() = 0;
  bool requested() { return signal() != 0; }
};

// For callers that cannot be stopped (tests, tools): never requests a stop.
class NoStopRequest final : public StopRequest {
 public:
  int fd() const override { return -1; }
  int signal() override { return 0; }
};

}  // namespace numalab::util
