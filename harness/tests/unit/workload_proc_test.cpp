// The workloads' parsers of files the guest kernel writes (/proc/vmstat, /proc/PID/numa_maps,
// /proc/pressure/*, /proc/PID/stat) and of their lab-file parameters. All of them take untrusted
// text: malformed and huge input must give values or errors, never a crash or unbounded memory.

#include <gtest/gtest.h>

#include <string>

#include "workload/common/numa_maps.hpp"
#include "workload/common/params.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/psi.hpp"
#include "workload/common/vmstat.hpp"

namespace numalab::workload {
namespace {

// /proc/vmstat as Debian's 6.1 kernel writes it, cut down.
constexpr const char* k_vmstat_before =
    "nr_free_pages 200000\n"
    "numa_hit 1000\n"
    "numa_miss 0\n"
    "numa_foreign 0\n"
    "numa_interleave 40\n"
    "numa_local 990\n"
    "numa_other 10\n"
    "pgmigrate_success 5\n"
    "pgmigrate_fail 0\n"
    "numa_pte_updates 0\n"
    "numa_huge_pte_updates 0\n"
    "numa_hint_faults 0\n"
    "numa_hint_faults_local 0\n"
    "numa_pages_migrated 0\n";

TEST(VmstatTest, ParsesCountersAndDeltas) {
  auto before = parse_vmstat(k_vmstat_before);
  auto after = parse_vmstat(
      "numa_hit 1500\nnuma_local 1400\nnuma_other 100\npgmigrate_success 1029\npgmigrate_fail 0\n"
      "numa_pte_updates 65536\nnuma_huge_pte_updates 128\nnuma_hint_faults 300\nnuma_hint_faults_local 100\n"
      "numa_pages_migrated 1024\nnuma_miss 0\n");
  EXPECT_EQ(before.skipped_lines, 0u);
  EXPECT_EQ(before.get("nr_free_pages"), 200000u);
  EXPECT_EQ(counter_delta(before, after, "numa_hit"), 500u);
  EXPECT_EQ(counter_delta(before, after, "pgmigrate_success"), 1024u);
  EXPECT_EQ(counter_delta(before, after, "numa_pages_migrated"), 1024u);
  EXPECT_EQ(counter_delta(before, after, "numa_miss"), 0u) << "present and unchanged is 0, not absent";
}

TEST(VmstatTest, AMissingCounterIsAbsentNeverZero) {
  // A kernel without CONFIG_NUMA_BALANCING has no numa_pte_updates & co.
  auto before = parse_vmstat("numa_hit 10\npgmigrate_success 0\n");
  auto after = parse_vmstat("numa_hit 20\npgmigrate_success 0\n");
  EXPECT_EQ(counter_delta(before, after, "numa_pte_updates"), std::nullopt);
  EXPECT_EQ(counter_delta(before, after, "numa_pages_migrated"), std::nullopt);
  EXPECT_EQ(counter_delta(before, after, "pgmigrate_success"), 0u);
  // In one snapshot only: absent as well.
  EXPECT_EQ(counter_delta(parse_vmstat(""), after, "numa_hit"), std::nullopt);
  EXPECT_EQ(counter_delta(before, parse_vmstat(""), "numa_hit"), std::nullopt);
}

TEST(VmstatTest, ACounterThatWentBackwardsGivesZero) {
  EXPECT_EQ(counter_delta(parse_vmstat("numa_hit 10\n"), parse_vmstat("numa_hit 9\n"), "numa_hit"), 0u);
}

TEST(VmstatTest, SkipsMalformedLines) {
  auto v = parse_vmstat(
      "numa_hit 12\n"
      "no_value\n"
      "negative -3\n"
      "float 1.5\n"
      "overflow 99999999999999999999999\n"
      "two values 1 2\n"
      "   \n"
      "numa_local\t7\r\n" +
      std::string(100, 'x') +
      " 1\n"
      "numa_other 3");  // no final newline
  EXPECT_EQ(v.get("numa_hit"), 12u);
  EXPECT_EQ(v.get("numa_local"), 7u);
  EXPECT_EQ(v.get("numa_other"), 3u);
  EXPECT_EQ(v.values.size(), 3u);
  EXPECT_EQ(v.skipped_lines, 6u);
}

TEST(VmstatTest, KeepsABoundedNumberOfCounters) {
  std::string huge;
  for (int i = 0; i < 5000; ++i) huge += "c" + std::to_string(i) + " " + std::to_string(i) + "\n";
  auto v = parse_vmstat(huge);
  EXPECT_EQ(v.values.size(), k_max_vmstat_counters);
  EXPECT_EQ(v.skipped_lines, 5000 - k_max_vmstat_counters);
  EXPECT_TRUE(parse_vmstat(std::string(1 << 20, 'a')).values.empty());
  EXPECT_TRUE(parse_vmstat(std::string(1 << 20, '\n')).values.empty());
}

TEST(NumaMapsTest, ParsesAnonymousFileAndHugeMappings) {
  auto maps = parse_numa_maps(
      "55d4c7a00000 default file=/init mapped=200 active=0 N0=200 kernelpagesize_kB=4\n"
      "55d4c8c00000 default heap anon=33 dirty=33 N0=30 N1=3 kernelpagesize_kB=4\n"
      "7f3a40000000 bind:1 anon=32768 dirty=32768 active=0 N1=32768 kernelpagesize_kB=4\n"
      "7f3a00000000 default file=/anon_hugepage\\040(deleted) huge anon=4 dirty=4 N0=3 N1=1 "
      "kernelpagesize_kB=2048\n"
      "7f3b00000000 interleave:0-1 anon=1024 dirty=1024 N0=512 N1=512 kernelpagesize_kB=4\n"
      "7ffd1c000000 default stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4\n"
      "7f3c00000000 prefer (many):0-1 anon=2 dirty=2 N1=2 kernelpagesize_kB=4\n"
      "7f3d00000000 default\n");
  ASSERT_EQ(maps.entries.size(), 8u);
  EXPECT_EQ(maps.skipped_lines, 0u);
  const auto& file = maps.entries[0];
  EXPECT_EQ(file.start, 0x55d4c7a00000u);
  EXPECT_EQ(file.file, "/init");
  EXPECT_EQ(file.anon_pages, 0u);
  EXPECT_TRUE(maps.entries[1].heap);
  EXPECT_EQ(maps.entries[1].pages_on(1), 3u);
  const auto& bound = maps.entries[2];
  EXPECT_EQ(bound.policy, "bind:1");
  EXPECT_EQ(bound.pages_on(1), 32768u);
  EXPECT_EQ(bound.pages_on(0), 0u);
  EXPECT_EQ(bound.resident_pages(), 32768u);
  const auto& huge = maps.entries[3];
  EXPECT_TRUE(huge.huge);
  EXPECT_EQ(huge.page_kb, 2048u);
  EXPECT_EQ(huge.file, "/anon_hugepage\\040(deleted)");
  EXPECT_EQ(huge.node_pages, (std::vector<std::pair<int, std::uint64_t>>{{0, 3}, {1, 1}}));
  EXPECT_EQ(maps.entries[4].policy, "interleave:0-1");
  EXPECT_TRUE(maps.entries[5].stack);
  EXPECT_EQ(maps.entries[6].policy, "prefer (many):0-1");
  EXPECT_EQ(maps.entries[6].pages_on(1), 2u);
  EXPECT_EQ(maps.entries[7].resident_pages(), 0u) << "a mapping with nothing resident";
  EXPECT_EQ(maps.entries[7].page_kb, 4u);
}

TEST(NumaMapsTest, KeepsPoliciesWithFlags) {
  // mpol_to_str() prints a flagged policy as MODE=FLAG:NODES; such lines are data, not noise.
  auto maps = parse_numa_maps(
      "7f0000000000 bind=static:0-1 anon=4 dirty=4 N0=2 N1=2 kernelpagesize_kB=4\n"
      "7f0000001000 interleave=relative:0-1 anon=2 N1=2 kernelpagesize_kB=4\n"
      "7f0000002000 prefer=static:1 anon=1 N1=1 kernelpagesize_kB=4\n");
  ASSERT_EQ(maps.entries.size(), 3u);
  EXPECT_EQ(maps.skipped_lines, 0u);
  EXPECT_EQ(maps.entries[0].policy, "bind=static:0-1");
  EXPECT_EQ(maps.entries[0].resident_pages(), 4u);
  EXPECT_EQ(maps.entries[1].policy, "interleave=relative:0-1");
  EXPECT_EQ(maps.entries[2].pages_on(1), 1u);
}

TEST(NumaMapsTest, SkipsMalformedLines) {
  auto maps = parse_numa_maps(
      "7f0000000000 default anon=1 N0=1 kernelpagesize_kB=4\n"
      "zzzz default anon=1 N0=1\n"                                // not an address
      "7f0000001000\n"                                            // no policy
      "7f0000002000 anon=1 N0=1\n"                                // no policy, a field instead
      "7f0000003000 default N0=x\n"                               // bad page count
      "7f0000004000 default N-1=5\n"                              // not a node field: ignored
      "7f0000005000 default N99999=5\n"                           // node id too large
      "7f0000006000 default N0=1 kernelpagesize_kB=0\n"           // a zero page size
      "7f0000007000 default anon=99999999999999999999999 N0=1\n"  // overflow
      "11112222333344445 default N0=1\n"                          // address wider than 64 bits
      "\n");
  ASSERT_EQ(maps.entries.size(), 2u);
  EXPECT_EQ(maps.entries[0].start, 0x7f0000000000u);
  EXPECT_EQ(maps.entries[1].start, 0x7f0000004000u);
  EXPECT_EQ(maps.entries[1].resident_pages(), 0u);
  EXPECT_EQ(maps.skipped_lines, 8u);
}

TEST(NumaMapsTest, IsBoundedOnHugeInput) {
  std::string line = "7f0000000000 default";
  for (int n = 0; n < 2000; ++n) line += " N" + std::to_string(n % 1000) + "=1";
  auto maps = parse_numa_maps(line + "\n");
  EXPECT_EQ(maps.entries.size(), 0u) << "more node fields than there can be nodes";
  EXPECT_EQ(maps.skipped_lines, 1u);

  std::string many;
  for (std::size_t i = 0; i < k_max_numa_maps_entries + 10; ++i) many += "1000 default N0=1\n";
  maps = parse_numa_maps(many);
  EXPECT_EQ(maps.entries.size(), k_max_numa_maps_entries);
  EXPECT_EQ(maps.skipped_lines, 10u);

  NumaMapsEntry e;
  EXPECT_TRUE(parse_numa_maps_line("1000 default file=/" + std::string(10000, 'p') + " N0=1", e));
  EXPECT_EQ(e.file.size(), k_max_numa_maps_file);
  EXPECT_FALSE(parse_numa_maps_line(std::string(100000, ' '), e));
}

TEST(PressureTest, ParsesSomeAndFull) {
  auto p = parse_pressure(
      "some avg10=1.25 avg60=0.50 avg300=0.10 total=123456\n"
      "full avg10=0.75 avg60=0.25 avg300=0.00 total=65432\n");
  ASSERT_TRUE(p) << p.error();
  EXPECT_DOUBLE_EQ(p->some.avg10, 1.25);
  EXPECT_DOUBLE_EQ(p->some.avg60, 0.5);
  EXPECT_DOUBLE_EQ(p->some.avg300, 0.1);
  EXPECT_EQ(p->some.total_us, 123456u);
  ASSERT_TRUE(p->full.has_value());
  EXPECT_DOUBLE_EQ(p->full->avg10, 0.75);
  EXPECT_EQ(p->full->total_us, 65432u);
}

TEST(PressureTest, FullIsOptional) {
  // /proc/pressure/cpu before Linux 5.13 has no full line.
  auto p = parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
  ASSERT_TRUE(p) << p.error();
  EXPECT_FALSE(p->full.has_value());
  EXPECT_EQ(p->some.total_us, 0u);
}

TEST(PressureTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "\n", "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=0.00 avg60=0.00 total=0\n",               // avg300 missing
        "some avg10=x avg60=0.00 avg300=0.00 total=0\n",      // not a number
        "some avg10=101.0 avg60=0.00 avg300=0.00 total=0\n",  // above 100 %
        "some avg10=-1 avg60=0.00 avg300=0.00 total=0\n", "some avg10=nan avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=0 avg10=0 avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=-5\n",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00\n"})
    EXPECT_FALSE(parse_pressure(bad).has_value()) << bad;
  // A field a later kernel might add is ignored.
  EXPECT_TRUE(parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=0 max=3\n").has_value());
  EXPECT_FALSE(parse_pressure(std::string(1 << 20, 'x')).has_value());
}

TEST(ProcStatTest, ParsesTheFieldsItNeeds) {
  // A kernel thread whose name has a blank and parentheses; 52 fields as in Linux 6.1.
  std::string line = "123 (kworker/u8:2 (x)) S 2 0 0 0 -1 69238880 0 0 0 0 17 42";
  for (int field = 16; field <= 38; ++field) line += " 0";
  line += " 3";  // field 39: processor
  for (int field = 40; field <= 52; ++field) line += " 0";
  auto s = parse_proc_stat(line + "\n");
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->pid, 123);
  EXPECT_EQ(s->comm, "kworker/u8:2 (x)");
  EXPECT_EQ(s->state, 'S');
  EXPECT_EQ(s->ppid, 2);
  EXPECT_EQ(s->utime, 17u);
  EXPECT_EQ(s->stime, 42u);
  EXPECT_EQ(s->processor, 3);
}

TEST(ProcStatTest, AShortLineHasNoProcessor) {
  auto s = parse_proc_stat("7 (a) R 1 0 0 0 -1 0 0 0 0 0 5 6");
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->processor, -1);
  EXPECT_EQ(s->utime, 5u);
}

TEST(ProcStatTest, RejectsMalformedLines) {
  for (const char* bad : {"", "7", "7 (a", "7 a) R 1", "x (a) R 1 0 0 0 -1 0 0 0 0 0 5 6",
                          "7 (a) RR 1 0 0 0 -1 0 0 0 0 0 5 6", "7 (a) R -1 0 0 0 -1 0 0 0 0 0 5 6",
                          "7 (a) R 1 0 0 0 -1 0 0 0 0 0 x 6", "7 (a) R 1 0 0 0 -1 0 0 0 0 0 5"})
    EXPECT_FALSE(parse_proc_stat(bad).has_value()) << bad;
  EXPECT_FALSE(parse_proc_stat("7 (a) R 1" + std::string(10000, ' ')).has_value());
}

TEST(GuestParamsTest, ReadsSizesDurationsAndIntegers) {
  auto params = nlohmann::json::parse(R"({"memory": "64M", "bytes": 4096, "big": "1GiB", "duration": "8s",
      "short": "500ms", "seconds": 30, "minutes": "2m", "threads": 4, "variant": "hard-bind"})");
  EXPECT_EQ(size_param(params, "memory").value(), 64u << 20);
  EXPECT_EQ(size_param(params, "bytes").value(), 4096u);
  EXPECT_EQ(size_param(params, "big").value(), 1u << 30);
  EXPECT_EQ(size_param(params, "absent").value(), std::nullopt);
  EXPECT_EQ(duration_param(params, "duration").value(), std::chrono::seconds(8));
  EXPECT_EQ(duration_param(params, "short").value(), std::chrono::milliseconds(500));
  EXPECT_EQ(duration_param(params, "seconds").value(), std::chrono::seconds(30));
  EXPECT_EQ(duration_param(params, "minutes").value(), std::chrono::minutes(2));
  EXPECT_EQ(integer_param(params, "threads", 1, 1024).value(), 4);
  EXPECT_EQ(string_param(params, "variant").value(), "hard-bind");
}

TEST(GuestParamsTest, RejectsWhatTheHostShouldHaveRejected) {
  auto params = nlohmann::json::parse(R"({"memory": "64X", "neg": -1, "huge": "99999999999999999999G",
      "duration": "8", "float": 1.5, "threads": 0, "many": 5000, "variant": 3, "frac": "1.5s"})");
  EXPECT_FALSE(size_param(params, "memory").has_value());
  EXPECT_FALSE(size_param(params, "neg").has_value());
  EXPECT_FALSE(size_param(params, "huge").has_value());
  EXPECT_FALSE(duration_param(params, "duration").has_value());
  EXPECT_FALSE(duration_param(params, "frac").has_value());
  EXPECT_FALSE(duration_param(params, "float").has_value());
  EXPECT_FALSE(integer_param(params, "threads", 1, 1024).has_value());
  EXPECT_FALSE(integer_param(params, "many", 1, 1024).has_value());
  EXPECT_FALSE(integer_param(params, "float", 1, 1024).has_value());
  EXPECT_FALSE(string_param(params, "variant").has_value());
}

}  // namespace
}  // namespace numalab::workload
