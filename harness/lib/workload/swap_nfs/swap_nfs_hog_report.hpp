#pragma once
// What the swap workload's memory hog (a forked child) tells the agent through its report pipe:
// fixed-size binary records, each written whole (32 bytes, under PIPE_BUF, so a pipe write is
// atomic). The agent reads them with HogReportReader, which keeps a partial record for the next
// read, and adds them up in a HogTally.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace numalab::workload {

enum class HogEvent : std::uint32_t {
  progress = 1,  // a = pages written, b = pages verified, c = bad pages: totals since the start
  bad_page = 2,  // a = page index, b = first bad byte in the page, c = the pass that found it
  phase = 3,     // a = the HogPhase reached
};

enum class HogPhase : std::uint64_t {
  writing = 0,
  passes_done = 1,    // every pass wrote and verified every page; the hog waits for a command
  released = 2,       // the pages past the kept ones are unmapped; the hog waits again
  kept_verified = 3,  // the kept pages were read back after swapoff; the hog exits next
};

struct HogRecord {
  std::uint32_t event = 0;
  std::uint32_t reserved = 0;
  std::uint64_t a = 0, b = 0, c = 0;
};
static_assert(sizeof(HogRecord) == 32);

inline constexpr std::size_t k_max_reported_bad_pages = 16;  // bad_page records the hog sends

struct BadPage {
  std::uint64_t index = 0;
  std::uint64_t offset = 0;
  std::uint64_t pass = 0;

  bool operator==(const BadPage&) const = default;
};

struct HogTally {
  std::uint64_t written = 0;
  std::uint64_t verified = 0;
  std::uint64_t bad = 0;
  std::vector<BadPage> first_bad;  // at most k_max_reported_bad_pages
  HogPhase phase = HogPhase::writing;
  std::uint64_t malformed = 0;  // records with an unknown event or phase

  void apply(const HogRecord& r);
  // "page 12 (byte 8, pass 0), page 13 (byte 0, pass 0)", with "and N more" past the listed ones.
  std::string describe_bad() const;
};

class HogReportReader {
 public:
  // The whole records that `bytes` completes, in order.
  std::vector<HogRecord> feed(std::span<const std::uint8_t> bytes);

 private:
  std::vector<std::uint8_t> partial_;
};

}  // namespace numalab::workload
