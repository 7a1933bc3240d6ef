#include "run/machine_ending.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

namespace numalab::run {

MachineEnding::MachineEnding(Work work)
    : done_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)), thread_([this, work = std::move(work)] {
        work(cancelled_);
        done_.store(true);
        const std::uint64_t one = 1;
        (void)!::write(done_fd_.get(), &one, sizeof one);
      }) {}

MachineEnding::~MachineEnding() {
  cancel();
  join();
}

void MachineEnding::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace numalab::run
