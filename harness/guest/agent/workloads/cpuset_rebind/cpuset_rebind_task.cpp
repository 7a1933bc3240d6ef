#include "workloads/cpuset_rebind/cpuset_rebind_task.hpp"

#include <numaif.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "common/proc_file.hpp"
#include "util/deadline.hpp"
#include "workload/common/page_placement_check.hpp"
#include "workload/cpuset_rebind/cpuset_rebind_check.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_mask_words = workload::k_max_node_ids / (CHAR_BIT * sizeof(unsigned long));
constexpr unsigned long k_maxnode = workload::k_max_node_ids + 1;  // the kernel counts one bit less

enum ChildStep : std::int32_t {
  step_none = 0,
  step_set_mempolicy,
  step_mmap,
  step_get_mempolicy,
  step_command
};

// One answer of the task, written in one write(2) (well under PIPE_BUF, so whole).
struct ChildRecord {
  std::int32_t error = 0;  // errno of the step that failed
  std::int32_t step = step_none;
  std::int32_t mode_word = -1;
  std::int32_t unused = 0;
  std::uint64_t buffer = 0;
  unsigned long mask[k_mask_words] = {};
};

struct ChildSpec {
  int mode_word = 0;
  unsigned long mask[k_mask_words] = {};
  std::size_t pages = 0;
  std::size_t page_bytes = 0;
  int control_fd = -1;
  int report_fd = -1;
};

const char* step_name(std::int32_t step) {
  switch (step) {
    case step_set_mempolicy:
      return "set_mempolicy";
    case step_mmap:
      return "mmap of its pages";
    case step_get_mempolicy:
      return "get_mempolicy";
    case step_command:
      return "an unknown command";
    default:
      return "an unknown step";
  }
}

void to_words(const workload::NodeMask& mask, unsigned long* words) {
  constexpr std::size_t bits = CHAR_BIT * sizeof(unsigned long);
  for (std::size_t b = 0; b < mask.size(); ++b)
    if (mask.test(b)) words[b / bits] |= 1UL << (b % bits);
}

workload::NodeMask from_words(const unsigned long* words) {
  constexpr std::size_t bits = CHAR_BIT * sizeof(unsigned long);
  workload::NodeMask mask;
  for (std::size_t b = 0; b < mask.size(); ++b)
    if (words[b / bits] & (1UL << (b % bits))) mask.set(b);
  return mask;
}

void set_and_touch(const ChildSpec& spec, ChildRecord& r) {
  if (::set_mempolicy(spec.mode_word, spec.mask, k_maxnode) != 0) {
    r = {errno, step_set_mempolicy, -1, 0, 0, {}};
    return;
  }
  void* p = ::mmap(nullptr, spec.pages * spec.page_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
  if (p == MAP_FAILED) {
    r = {errno, step_mmap, -1, 0, 0, {}};
    return;
  }
  auto* bytes = static_cast<volatile unsigned char*>(p);
  for (std::size_t i = 0; i < spec.pages; ++i) bytes[i * spec.page_bytes] = 1;
  r.buffer = reinterpret_cast<std::uint64_t>(p);
}

[[noreturn]] void run_child(const ChildSpec& spec) {
  ::prctl(PR_SET_NAME, "numalab-policy");
  for (;;) {
    char command = 0;
    ssize_t n = ::read(spec.control_fd, &command, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || command == 'q') ::_exit(0);
    ChildRecord r;
    if (command == 's') {
      set_and_touch(spec, r);
    } else if (command == 'r') {
      int mode = -1;
      if (::get_mempolicy(&mode, r.mask, k_maxnode, nullptr, 0) != 0)
        r = {errno, step_get_mempolicy, -1, 0, 0, {}};
      else
        r.mode_word = mode;
    } else {
      r.step = step_command;
      r.error = EINVAL;
    }
    if (::write(spec.report_fd, &r, sizeof r) != static_cast<ssize_t>(sizeof r)) ::_exit(1);
  }
}

}  // namespace

std::expected<PolicyTask, std::string> PolicyTask::start(workload::PolicyMode mode,
                                                         workload::PolicyFlags flags,
                                                         const workload::NodeMask& user, std::size_t pages) {
  ChildSpec spec;
  spec.mode_word = workload::policy_mode_word(mode, flags);
  to_words(user, spec.mask);
  spec.pages = pages;
  spec.page_bytes = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  auto forked = ForkedChild::start([&spec](int control_fd, int report_fd) {
    spec.control_fd = control_fd;
    spec.report_fd = report_fd;
    run_child(spec);
  });
  if (!forked) return std::unexpected(forked.error());
  PolicyTask task;
  task.task_ = std::move(*forked);
  task.pages_ = pages;
  return task;
}

std::expected<void, std::string> PolicyTask::ask(char command, std::chrono::milliseconds timeout, void* out,
                                                 std::size_t size) {
  const pid_t pid = task_.pid();
  if (!task_.tell(command))
    return std::unexpected("task " + std::to_string(pid) +
                           ": cannot send a command: " + std::strerror(errno));
  switch (task_.read_report(out, size, util::Deadline::after(timeout)).kind) {
    case ReportRead::whole:
      return {};
    case ReportRead::ended:
      return std::unexpected("task " + std::to_string(pid) + " died");
    default:  // timed out, or poll(2) failed
      return std::unexpected("task " + std::to_string(pid) + " did not answer in time");
  }
}

std::expected<void, std::string> PolicyTask::set_policy(std::chrono::milliseconds timeout) {
  ChildRecord r;
  if (auto a = ask('s', timeout, &r, sizeof r); !a) return a;
  if (r.step != step_none)
    return std::unexpected(std::string(step_name(r.step)) + " failed in the task: " + std::strerror(r.error));
  buffer_ = r.buffer;
  return {};
}

std::expected<TaskPolicyReport, std::string> PolicyTask::report(std::chrono::milliseconds timeout) {
  ChildRecord r;
  if (auto a = ask('r', timeout, &r, sizeof r); !a) return std::unexpected(a.error());
  if (r.step != step_none)
    return std::unexpected(std::string(step_name(r.step)) + " failed in the task: " + std::strerror(r.error));
  return TaskPolicyReport{r.mode_word, from_words(r.mask)};
}

std::expected<std::vector<int>, std::string> PolicyTask::page_nodes() const {
  const auto page_bytes = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  std::vector<void*> addresses(pages_);
  for (std::size_t i = 0; i < pages_; ++i) addresses[i] = reinterpret_cast<void*>(buffer_ + i * page_bytes);
  std::vector<int> status(pages_, workload::k_status_not_written);
  if (::move_pages(pid(), pages_, addresses.data(), nullptr, status.data(), 0) != 0)
    return std::unexpected("move_pages(" + std::to_string(pid()) +
                           ", nodes = NULL): " + std::strerror(errno));
  return status;
}

std::expected<std::string, std::string> PolicyTask::numa_maps_policy() const {
  auto text = read_proc_file("/proc/" + std::to_string(pid()) + "/numa_maps", 4 << 20);
  if (!text) return std::unexpected(text.error());
  return workload::numa_maps_policy_at(*text, buffer_);
}

}  // namespace numalab::guest
