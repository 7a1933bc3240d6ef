// The nfs-server workload's pure parts: the server's counters (/proc/net/rpc/nfsd), the NFS
// client's mount(2) options, and the guest network's addresses (netmasks, MAC matching).

#include <gtest/gtest.h>

#include <string>

#include "workload/common/net_address.hpp"
#include "workload/common/nfs_mount_options.hpp"
#include "workload/common/nfsd_stats.hpp"

namespace numalab::workload {
namespace {

// /proc/net/rpc/nfsd of a 6.1 guest after the self-check (8 threads, NFSv3 then NFSv4.2).
constexpr const char* k_nfsd =
    "rc 0 5 31\n"
    "fh 0 0 0 0 0\n"
    "io 65536 65536\n"
    "th 8 0 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000\n"
    "ra 32 0 0 0 0 0 0 0 0 0 0 0\n"
    "net 36 0 36 3\n"
    "rpc 36 0 0 0 0\n"
    "proc3 22 2 7 0 4 3 0 1 1 1 0 0 0 1 0 0 0 0 2 1 1 0 1\n"
    "proc4 2 1 10\n"
    "proc4ops 76 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

TEST(NfsdStatsTest, ParsesTheCountersOf61) {
  auto s = parse_nfsd_stats(k_nfsd);
  EXPECT_EQ(s.rpc_calls, 36u);
  EXPECT_EQ(s.rpc_bad_calls, 0u);
  EXPECT_EQ(s.bytes_read, 65536u);
  EXPECT_EQ(s.bytes_written, 65536u);
  EXPECT_EQ(s.threads, 8u);
  EXPECT_EQ(s.tcp_connections, 3u);
  EXPECT_EQ(s.v3_calls, 25u);
  EXPECT_EQ(s.v4_calls, 11u);
}

TEST(NfsdStatsTest, AbsentOrMalformedCountersStayAbsent) {
  auto s = parse_nfsd_stats("rpc x 0\nio 1\nproc3 9999 1 2\nproc4 3 1 2\n");
  EXPECT_FALSE(s.rpc_calls);
  EXPECT_EQ(s.rpc_bad_calls, 0u);
  EXPECT_EQ(s.bytes_read, 1u);
  EXPECT_FALSE(s.bytes_written);
  EXPECT_FALSE(s.v3_calls);  // more procedures than the bound
  EXPECT_FALSE(s.v4_calls);  // fewer counters than declared
  EXPECT_FALSE(s.threads);
  EXPECT_EQ(parse_nfsd_stats(""), NfsdStats{});
  EXPECT_EQ(parse_nfsd_stats(std::string(1 << 20, '\n') + "rpc 5 0\n"), NfsdStats{});  // bounded lines
}

TEST(NfsMountOptionsTest, Version3AsksMountdOverTcpWithoutLocking) {
  auto a = nfs_mount_args({"10.0.0.1", "/export", "3", {"hard", "timeo=600"}});
  ASSERT_TRUE(a) << a.error();
  EXPECT_EQ(a->source, "10.0.0.1:/export");
  EXPECT_EQ(a->fs_type, "nfs");
  EXPECT_EQ(
      a->options,
      "vers=3,proto=tcp,addr=10.0.0.1,mountaddr=10.0.0.1,mountvers=3,mountproto=tcp,nolock,hard,timeo=600");
}

TEST(NfsMountOptionsTest, Version42UsesNfs4) {
  auto a = nfs_mount_args({"127.0.0.1", "/export", "4.2", {}});
  ASSERT_TRUE(a) << a.error();
  EXPECT_EQ(a->fs_type, "nfs4");
  EXPECT_EQ(a->options, "vers=4.2,proto=tcp,addr=127.0.0.1");
}

TEST(NfsMountOptionsTest, RejectsWhatTheKernelWouldMisread) {
  EXPECT_FALSE(nfs_mount_args({"server", "/export", "3", {}}));    // a name: the kernel wants an address
  EXPECT_FALSE(nfs_mount_args({"10.0.0.1", "export", "3", {}}));   // relative
  EXPECT_FALSE(nfs_mount_args({"10.0.0.1", "/export", "2", {}}));  // no NFSv2 client
  EXPECT_FALSE(nfs_mount_args({"10.0.0.1", "/export", "3", {"a,b"}}));
  EXPECT_FALSE(nfs_mount_args({"10.0.0.1", "/export", "3", {""}}));
}

TEST(NetAddressTest, NetmaskFromPrefix) {
  EXPECT_EQ(ipv4_text(*netmask_from_prefix(24)), "255.255.255.0");
  EXPECT_EQ(ipv4_text(*netmask_from_prefix(8)), "255.0.0.0");
  EXPECT_EQ(ipv4_text(*netmask_from_prefix(0)), "0.0.0.0");
  EXPECT_EQ(ipv4_text(*netmask_from_prefix(32)), "255.255.255.255");
  EXPECT_EQ(ipv4_text(*netmask_from_prefix(20)), "255.255.240.0");
  EXPECT_FALSE(netmask_from_prefix(-1));
  EXPECT_FALSE(netmask_from_prefix(33));
}

TEST(NetAddressTest, ParsesDottedQuadsOnly) {
  EXPECT_EQ(parse_ipv4("10.0.2.15"), (Ipv4{10, 0, 2, 15}));
  EXPECT_EQ(ipv4_text(*parse_ipv4("255.255.255.255")), "255.255.255.255");
  for (const char* bad : {"", "10.0.2", "10.0.2.15.1", "10.0.2.256", "10..2.15", "10.0.2.15 ", "a.b.c.d",
                          "1000.0.0.1", "10.0.2.-1", "10.0.2."})
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
}

TEST(NetAddressTest, MacsMatchWhateverTheCaseAndTrailingNewline) {
  EXPECT_TRUE(same_mac("52:54:00:ab:cd:01\n", "52:54:00:AB:CD:01"));
  EXPECT_FALSE(same_mac("52:54:00:ab:cd:01", "52:54:00:ab:cd:02"));
  EXPECT_FALSE(same_mac("52:54:00:ab:cd", "52:54:00:ab:cd"));  // malformed never matches
  EXPECT_EQ(normalise_mac(" 52:54:00:AB:cd:01 "), "52:54:00:ab:cd:01");
  EXPECT_FALSE(normalise_mac("52-54-00-ab-cd-01"));
  EXPECT_FALSE(normalise_mac("52:54:00:ab:cd:0g"));
}

}  // namespace
}  // namespace numalab::workload
