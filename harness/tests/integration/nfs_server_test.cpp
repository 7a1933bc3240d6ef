// The nfs-server workload in a real guest on the lab kernel (knfsd built in) with Debian's
// nfs-utils in its image: it comes up, passes its own NFSv3 and NFSv4.2 check over 127.0.0.1, says
// ready, serves until the host releases it (no machine uses it) or serve_for, and stops, with the RPC calls
// the check made counted.

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

using NfsServer = NfsLabFixture;

TEST_F(NfsServer, SelfTestLabPassesAndCountsTheCallsOfItsCheck) {
  auto inv = run(source("lab/nfs-server-selftest.toml"));
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  ASSERT_TRUE(inv.summary.is_object()) << inv.err;
  const auto& w = inv.summary["workloads"][0];
  EXPECT_EQ(w["name"], "nfs-server");
  ASSERT_EQ(w["verdict"], "pass") << w["detail"];
  const auto& m = w["metrics"];
  auto value = [&](const char* name) { return m.at(name).at("value").get<double>(); };
  EXPECT_GT(value("rpc_calls"), 0.0);
  EXPECT_EQ(value("rpc_bad_calls"), 0.0);
  EXPECT_GT(value("written_mb"), 0.0);  // the check's 64 KiB file
  EXPECT_GT(value("read_mb"), 0.0);     // read back with O_DIRECT
  EXPECT_GT(value("ready_s"), 0.0);
  // No machine uses it: the host releases it once it is ready, or serve_for = "2s" ends it.
  EXPECT_LT(value("served_s"), 10.0);
}

}  // namespace
}  // namespace numalab::itest
