// The swap-nfs workload's pure parts: the swap header against the layout of the 6.1 kernel's
// union swap_header, the page pattern, the hog's report records, the /proc parsers (NFS client
// RPC counters, /proc/swaps), the progress gap, the parameters and the sizes.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "workload/common/netstat.hpp"
#include "workload/common/nfs_rpc_stats.hpp"
#include "workload/common/proc_swaps.hpp"
#include "workload/swap_nfs/page_pattern.hpp"
#include "workload/swap_nfs/progress_gap.hpp"
#include "workload/swap_nfs/swap_header.hpp"
#include "workload/swap_nfs/swap_nfs_hog_report.hpp"
#include "workload/swap_nfs/swap_nfs_plan.hpp"

namespace numalab::workload {
namespace {

// include/linux/swap.h (Linux 6.1) with PAGE_SIZE 4096, restated for its layout: the magic in the
// page's last 10 bytes, the info after 1024 bytes of boot bits, the bad-page list up to the magic.
union KernelSwapHeader {
  struct {
    char reserved[4096 - 10];
    char magic[10];
  } magic;
  struct {
    char bootbits[1024];
    std::uint32_t version;
    std::uint32_t last_page;
    std::uint32_t nr_badpages;
    unsigned char sws_uuid[16];
    unsigned char sws_volume[16];
    std::uint32_t padding[117];
    std::uint32_t badpages[1];
  } info;
};
static_assert(sizeof(KernelSwapHeader) == 4096);
static_assert(offsetof(KernelSwapHeader, info.version) == k_swap_version_offset);
static_assert(offsetof(KernelSwapHeader, info.last_page) == k_swap_last_page_offset);
static_assert(offsetof(KernelSwapHeader, info.nr_badpages) == k_swap_nr_badpages_offset);
static_assert(offsetof(KernelSwapHeader, info.sws_uuid) == k_swap_uuid_offset);
static_assert(offsetof(KernelSwapHeader, info.sws_volume) == k_swap_label_offset);

TEST(SwapHeaderTest, ReadsAsTheKernelsUnion) {
  SwapHeaderSpec spec{64ull << 20, 4096, {}, "numalab"};
  for (std::size_t i = 0; i < 16; ++i) spec.uuid[i] = static_cast<std::uint8_t>(0xa0 + i);
  auto page = swap_header_page(spec);
  ASSERT_TRUE(page) << page.error();
  ASSERT_EQ(page->size(), 4096u);
  KernelSwapHeader h;
  std::memcpy(&h, page->data(), sizeof h);
  EXPECT_EQ(std::string(h.magic.magic, 10), "SWAPSPACE2");
  EXPECT_EQ(h.info.version, 1u);
  EXPECT_EQ(h.info.last_page, (64u << 20) / 4096 - 1) << "the last usable page, not the page count";
  EXPECT_EQ(h.info.nr_badpages, 0u) << "swapon refuses bad pages in a regular file";
  EXPECT_EQ(h.info.sws_uuid[0], 0xa0);
  EXPECT_EQ(h.info.sws_uuid[15], 0xaf);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h.info.sws_volume)), "numalab");
  for (std::size_t i = 0; i < 1024; ++i) ASSERT_EQ((*page)[i], 0) << "boot bits at " << i;
  for (std::size_t i = k_swap_label_offset + 16; i < 4096 - 10; ++i) ASSERT_EQ((*page)[i], 0) << "byte " << i;
}

TEST(SwapHeaderTest, PartialPagesDoNotCountAndTinyOrOddInputIsRefused) {
  auto page = swap_header_page({(16 << 12) + 100, 4096, {}, ""});
  ASSERT_TRUE(page);
  KernelSwapHeader h;
  std::memcpy(&h, page->data(), sizeof h);
  EXPECT_EQ(h.info.last_page, 15u);
  EXPECT_FALSE(swap_header_page({9 * 4096, 4096, {}, ""})) << "fewer than 10 pages";
  EXPECT_FALSE(swap_header_page({1 << 20, 3000, {}, ""})) << "not a power of two";
  EXPECT_FALSE(swap_header_page({1 << 20, 1024, {}, ""})) << "too small for the header";
  EXPECT_FALSE(swap_header_page({1 << 20, 4096, {}, "a label of more than 16"}));
  EXPECT_FALSE(swap_header_page({(1ull << 32) * 4096 + 4096, 4096, {}, ""})) << "last_page is a u32";
  auto large = swap_header_page({1 << 20, 65536, {}, ""});
  ASSERT_TRUE(large) << "64 KiB pages (arm64, ppc64)";
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(large->data()) + 65536 - 10, 10), "SWAPSPACE2");
}

TEST(PagePatternTest, AWrittenPageChecksAndEveryKindOfDamageIsFound) {
  std::vector<std::uint64_t> page(512);
  const PageStamp stamp{7, 12345, 0};
  fill_page(page, stamp);
  EXPECT_EQ(first_bad_byte(page, stamp), std::nullopt);
  EXPECT_EQ(page[0], k_page_magic);
  EXPECT_EQ(page[1], 7u);

  EXPECT_EQ(first_bad_byte(page, {8, 12345, 0}), 8u) << "another page's content: the index word";
  EXPECT_EQ(first_bad_byte(page, {7, 12345, 1}), 24u) << "a stale page from the pass before";
  EXPECT_EQ(first_bad_byte(page, {7, 999, 0}), 16u) << "another run's page";

  std::vector<std::uint64_t> zero(512, 0);
  EXPECT_EQ(first_bad_byte(zero, stamp), 0u) << "a zeroed page";

  auto torn = page;
  reinterpret_cast<unsigned char*>(torn.data())[3001] ^= 0x10;
  EXPECT_EQ(first_bad_byte(torn, stamp), 3001u) << "one flipped bit, to the byte";

  std::vector<std::uint64_t> other(512);
  fill_page(other, {6, 12345, 0});
  std::size_t same = 0;
  for (std::size_t i = 4; i < 512; ++i) same += other[i] == page[i];
  EXPECT_LT(same, 4u) << "neighbouring pages differ in their bodies, not only their headers";
}

TEST(HogReportTest, RecordsSurvivePartialReadsAndAddUp) {
  std::vector<HogRecord> sent = {
      {static_cast<std::uint32_t>(HogEvent::progress), 0, 512, 0, 0},
      {static_cast<std::uint32_t>(HogEvent::bad_page), 0, 77, 40, 1},
      {static_cast<std::uint32_t>(HogEvent::progress), 0, 1024, 600, 3},
      {static_cast<std::uint32_t>(HogEvent::phase), 0, static_cast<std::uint64_t>(HogPhase::passes_done), 0,
       0},
      {99, 0, 0, 0, 0},
  };
  std::vector<std::uint8_t> bytes(sent.size() * sizeof(HogRecord));
  std::memcpy(bytes.data(), sent.data(), bytes.size());
  HogReportReader reader;
  HogTally tally;
  std::size_t records = 0;
  for (std::size_t at = 0; at < bytes.size(); at += 7) {  // 7-byte reads cut every record
    const std::size_t n = std::min<std::size_t>(7, bytes.size() - at);
    for (const auto& r : reader.feed({bytes.data() + at, n})) {
      tally.apply(r);
      ++records;
    }
  }
  EXPECT_EQ(records, sent.size());
  EXPECT_EQ(tally.written, 1024u);
  EXPECT_EQ(tally.verified, 600u);
  EXPECT_EQ(tally.bad, 3u);
  EXPECT_EQ(tally.phase, HogPhase::passes_done);
  EXPECT_EQ(tally.malformed, 1u);
  ASSERT_EQ(tally.first_bad.size(), 1u);
  EXPECT_EQ(tally.first_bad[0], (BadPage{77, 40, 1}));
  EXPECT_EQ(tally.describe_bad(), "page 77 (byte 40, pass 1) and 2 more");
}

TEST(NfsRpcStatsTest, ReadsTheRpcLine) {
  // /proc/net/rpc/nfs of a 6.1 client after an NFSv3 mount and some swapping.
  auto s = parse_rpc_client_stats(
      "net 0 0 0 0\n"
      "rpc 184467 12 0\n"
      "proc3 22 0 31 0 5 4 0 0 20 3 0 0 0 1 0 0 0 0 2 1 1 0 180000\n"
      "proc4 69 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(*s, (RpcClientStats{184467, 12, 0}));
  EXPECT_FALSE(parse_rpc_client_stats("net 0 0 0 0\n"));
  EXPECT_FALSE(parse_rpc_client_stats("rpc 1 x 0\n"));
  EXPECT_FALSE(parse_rpc_client_stats("rpc 1 2\n"));
  EXPECT_FALSE(parse_rpc_client_stats(""));
  EXPECT_FALSE(parse_rpc_client_stats(std::string(1 << 20, 'r')));
}

TEST(ProcSwapsTest, FindsTheAreaByItsUnescapedPath) {
  const char* text =
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
      "/mnt/numalab-swap-nfs/numalab-swapfile  file\t\t585724\t\t131072\t\t-2\n"
      "/mnt/with\\040space/swap                 file\t\t1024\t\t0\t\t-3\n"
      "garbage\n";
  auto areas = parse_proc_swaps(text);
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas[0], (SwapArea{"/mnt/numalab-swap-nfs/numalab-swapfile", "file", 585724, 131072, -2}));
  EXPECT_EQ(areas[1].filename, "/mnt/with space/swap");
  EXPECT_TRUE(find_swap_area(text, "/mnt/with space/swap"));
  EXPECT_FALSE(find_swap_area(text, "/mnt/other"));
  EXPECT_TRUE(parse_proc_swaps("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n").empty());
}

TEST(ProgressGapTest, TheLongestStretchWithoutAnyCounterMoving) {
  ProgressGap gap;
  gap.observe(0, std::vector<std::uint64_t>{0, 0});
  gap.observe(1, std::vector<std::uint64_t>{5, 0});
  gap.observe(2, std::vector<std::uint64_t>{5, 0});
  gap.observe(3, std::vector<std::uint64_t>{5, 0});
  gap.observe(4, std::vector<std::uint64_t>{5, 9});  // one counter is enough
  gap.observe(5, std::vector<std::uint64_t>{5, 9});
  EXPECT_DOUBLE_EQ(gap.max_gap_s(), 2.0) << "seen standing still from 1 s to 3 s; it moved by 4 s";
  EXPECT_DOUBLE_EQ(gap.current_gap_s(), 1.0);
  ProgressGap steady;
  for (int t = 0; t < 5; ++t) steady.observe(t, std::vector<std::uint64_t>{static_cast<std::uint64_t>(t)});
  EXPECT_DOUBLE_EQ(steady.max_gap_s(), 0.0) << "moving at every sample is no gap";
}

// /proc/net/netstat as a Linux kernel prints it (cut to a few counters per group): names, then
// values, per group.
TEST(NetstatTest, ReadsEachGroupsCountersByName) {
  const auto c = parse_netstat(
      "TcpExt: SyncookiesSent TW PFMemallocDrop TCPBacklogDrop\n"
      "TcpExt: 0 21 371 2\n"
      "IpExt: InNoRoutes InOctets\n"
      "IpExt: 0 18446744073709551615\n");
  EXPECT_EQ(c.get("TcpExt.PFMemallocDrop"), 371u);
  EXPECT_EQ(c.get("TcpExt.TW"), 21u);
  EXPECT_EQ(c.get("IpExt.InOctets"), 18446744073709551615ull);
  EXPECT_FALSE(c.get("PFMemallocDrop")) << "names carry their group";
  EXPECT_EQ(c.skipped_lines, 0u);
  // A group whose values do not match its names is skipped, and the next group still reads.
  const auto bad = parse_netstat("TcpExt: A B\nTcpExt: 1\nIpExt: C\nIpExt: 7\nMptcpExt: D\n");
  EXPECT_FALSE(bad.get("TcpExt.A"));
  EXPECT_EQ(bad.get("IpExt.C"), 7u);
  EXPECT_EQ(bad.skipped_lines, 3u);
  EXPECT_EQ(parse_netstat("TcpExt: A\nTcpExt: -1\n").get("TcpExt.A"), std::nullopt);
  EXPECT_TRUE(parse_netstat("").values.empty());
}

TEST(SwapNfsPlanTest, ParametersDefaultsAndRefusals) {
  auto p = swap_nfs_params({{"server", "server"}});
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->nfs_version, "3");
  EXPECT_EQ(p->export_path, "/export");
  EXPECT_DOUBLE_EQ(p->ratio, 2.0);
  EXPECT_EQ(p->passes, 1u);
  EXPECT_FALSE(p->swap_size);
  EXPECT_FALSE(p->net_load);
  EXPECT_EQ(p->threads, 1u);
  auto q = swap_nfs_params({{"server", "s"},
                            {"nfs_version", "4.2"},
                            {"ratio", 1.5},
                            {"passes", 3},
                            {"swap_size", "256M"},
                            {"net_load", true},
                            {"threads", 4}});
  ASSERT_TRUE(q) << q.error();
  EXPECT_EQ(q->nfs_version, "4.2");
  EXPECT_EQ(q->swap_size, 256u << 20);
  EXPECT_EQ(q->passes, 3u);
  EXPECT_TRUE(q->net_load);
  EXPECT_EQ(q->threads, 4u);
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"threads", 0}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"threads", 65}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"net_load", "yes"}}));
  EXPECT_FALSE(swap_nfs_params(nlohmann::json::object())) << "server is required";
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"nfs_version", "4.0"}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"ratio", 0}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"ratio", "2"}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"passes", 0}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"swap_size", "1M"}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"export", "relative"}}));
  EXPECT_FALSE(swap_nfs_params({{"server", "s"}, {"export", "/a,b"}})) << "a comma would add a mount option";
}

TEST(SwapNfsPlanTest, SizesAndKeptPages) {
  EXPECT_EQ(hog_pages(512 * 1024, 2.0, 4096), 262144u) << "2 x 512 MiB in 4 KiB pages";
  EXPECT_EQ(hog_pages(1, 0.1, 4096), 1u);
  EXPECT_EQ(swap_file_bytes(1ull << 30), (1024ull + 32) << 20)
      << "the whole hog: writeback holds memory and slots";
  EXPECT_EQ(swap_file_bytes((100 << 20) + 1), 133ull << 20) << "whole MiB";
  EXPECT_EQ(swapoff_keep_pages(262144, 20 * 1024, 4096), 2560u) << "half the available memory";
  EXPECT_EQ(swapoff_keep_pages(262144, 400 * 1024, 4096), 4096u) << "at most 16 MiB";
  EXPECT_EQ(swapoff_keep_pages(100, 400 * 1024, 4096), 100u);
}

}  // namespace
}  // namespace numalab::workload
