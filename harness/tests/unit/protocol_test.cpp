#include "agent/protocol.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace numalab::agent {
namespace {

model::Topology three_nodes() {
  return {{{0, {0, 1}, 786432}, {1, {2, 3}, 786432}, {2, {}, 524288}},
          {{10, 16, 22}, {16, 10, 22}, {22, 22, 10}}};
}

GuestMessage round_trip(const GuestMessage& m) {
  auto decoded = decode_guest_message(encode(m));
  EXPECT_TRUE(decoded.has_value()) << decoded.error() << "\n  line: " << encode(m);
  return decoded.value_or(GuestMessage(Done{}));
}

std::string decode_error(std::string_view line) {
  auto decoded = decode_guest_message(line);
  EXPECT_FALSE(decoded.has_value()) << "accepted: " << line.substr(0, 200);
  return decoded ? std::string() : decoded.error();
}

TEST(ProtocolTest, EveryGuestMessageRoundTrips) {
  Hello hello{1,
              "6.1.0-21-amd64",
              "#1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1",
              three_nodes(),
              4,
              2'000'000,
              2.25,
              {"modules.load: virtio_console.ko: No such file or directory"}};
  std::vector<GuestMessage> messages = {
      hello,
      Heartbeat{42, 17.5},
      StepStart{"topology-check"},
      Metric{"topology-check", "nodes_seen", 3, "", model::Better::none},
      Metric{"stream", "copy", 1234.5, "MB/s", model::Better::higher},
      Metric{"topology-check", "check_elapsed_s", 0.002, "s", model::Better::lower},
      Sample{"numa01", "locality_pct", 3.0, 87.5},
      StepEnd{"topology-check", "pass", "", 0.01},
      StepEnd{"topology-check", "fail", "node 1: cpus 2-3 expected, 2 seen", 0.5},
      StepEnd{"x", "error", "unknown workload", 0},
      StepEnd{"cpuset-rebind",
              "pass",
              "",
              1.5,
              {"sysctl kernel/sysrq: 438 -> 1"},
              {"mount /mnt/x (nfs4): made", "could not unmount /mnt/x: Device or resource busy"}},
      Log{"line one \"quoted\" \\ and unicode: µ → ✓"},
      Ready{"sshd"},
      Blocked{{{812, 812, "numalab-trigger", 4567, "mutex_lock", {"mutex_lock", "deadlock_self"}},
               {2, 40, "kworker/u8:2 (x)", 0, "", {}}}},
      Blocked{},
      Done{},
  };
  for (const auto& m : messages) EXPECT_EQ(round_trip(m), m) << encode(m);
}

TEST(ProtocolTest, WireFormatStartsWithType) {
  EXPECT_EQ(encode(GuestMessage(Heartbeat{3, 1.5})), R"({"t":"hb","seq":3,"uptime_s":1.5})");
  EXPECT_EQ(encode(GuestMessage(Done{})), R"({"t":"done"})");
  EXPECT_EQ(encode(GuestMessage(Metric{"w", "n", 2, "s", model::Better::lower})),
            R"({"t":"metric","workload":"w","name":"n","value":2.0,"unit":"s","better":"lower"})");
  EXPECT_EQ(encode(GuestMessage(StepEnd{"w", "fail", "why", 0.5})),
            R"({"t":"end","workload":"w","verdict":"fail","detail":"why","elapsed_s":0.5})")
      << "a workload that left the guest as it found it says nothing more";
  EXPECT_EQ(
      encode(GuestMessage(StepEnd{"w", "pass", "", 1, {"r"}, {"l"}})),
      R"({"t":"end","workload":"w","verdict":"pass","detail":"","elapsed_s":1.0,"restored":["r"],"left":["l"]})");
}

TEST(ProtocolTest, AbsentCounterHasNoValue) {
  // A counter the kernel lacks must never read as 0 on the host.
  Metric absent{"numa01", "numa_pte_updates", 0, "pages", model::Better::none, true};
  const std::string line = encode(GuestMessage(absent));
  EXPECT_EQ(
      line,
      R"({"t":"metric","workload":"numa01","name":"numa_pte_updates","absent":true,"unit":"pages","better":"none"})");
  auto m = decode_guest_message(line);
  ASSERT_TRUE(m.has_value()) << m.error();
  const auto& got = std::get<Metric>(*m);
  EXPECT_TRUE(got.absent);
  EXPECT_TRUE(std::isnan(got.value));
  EXPECT_FALSE(
      decode_guest_message(R"({"t":"metric","workload":"w","name":"n","absent":"yes"})").has_value());
  EXPECT_FALSE(decode_guest_message(R"({"t":"metric","workload":"w","name":"n"})").has_value())
      << "a metric that is not absent needs a value";
}

TEST(ProtocolTest, SampleWireFormat) {
  EXPECT_EQ(encode(GuestMessage(Sample{"w", "locality_pct", 2.5, 50})),
            R"({"t":"sample","workload":"w","name":"locality_pct","at_s":2.5,"value":50.0})");
  EXPECT_FALSE(
      decode_guest_message(R"({"t":"sample","workload":"w","name":"n","at_s":-1,"value":1})").has_value());
}

TEST(ProtocolTest, PlanRoundTrips) {
  Plan plan;
  plan.workloads = {{"topology-check", nlohmann::json::object()}, {"trigger", {{"action", "panic"}}}};
  plan.expected = three_nodes();
  plan.heartbeat_ms = 250;
  plan.poweroff = false;
  auto decoded = decode_plan(encode(plan));
  ASSERT_TRUE(decoded.has_value()) << decoded.error();
  EXPECT_EQ(*decoded, plan);
}

TEST(ProtocolTest, PlanCarriesTheMachinesNetwork) {
  Plan plan;
  plan.expected = three_nodes();
  plan.interfaces = {{"storage", "52:54:00:6e:00:02", "10.77.0.2", 24}};
  plan.hosts = {{"server", "10.77.0.1"}, {"client", "10.77.0.2"}};
  auto decoded = decode_plan(encode(plan));
  ASSERT_TRUE(decoded.has_value()) << decoded.error();
  EXPECT_EQ(*decoded, plan);

  const std::string head = R"({"t":"plan","workloads":[],"expected":{"nodes":[],"distances":[]},)";
  EXPECT_FALSE(decode_plan(head + R"("interfaces":[{"mac":"x","address":"y","prefix":33,"network":"n"}]})"));
  EXPECT_FALSE(decode_plan(head + R"("interfaces":[{"mac":"x"}]})"));
  EXPECT_FALSE(decode_plan(head + R"("hosts":{"server":7}})"));
}

// A restored guest's plan carries the host's wall clock; a fresh guest's carries none.
TEST(ProtocolTest, PlanCarriesTheHostClockForARestoredGuest) {
  Plan plan;
  plan.expected = three_nodes();
  EXPECT_EQ(encode(plan).find("host_time_ms"), std::string::npos);
  plan.host_time_ms = 1'796'774'400'123;
  auto decoded = decode_plan(encode(plan));
  ASSERT_TRUE(decoded.has_value()) << decoded.error();
  EXPECT_EQ(decoded->host_time_ms, plan.host_time_ms);

  const std::string head = R"({"t":"plan","workloads":[],"expected":{"nodes":[],"distances":[]},)";
  EXPECT_FALSE(decode_plan(head + R"("host_time_ms":-5})"));
  EXPECT_FALSE(decode_plan(head + R"("host_time_ms":"now"})"));
  EXPECT_FALSE(decode_plan(head + R"("host_time_ms":1e300})"));
}

TEST(ProtocolTest, ReleaseIsRecognisedAndNothingElseIs) {
  EXPECT_TRUE(is_release(encode_release()));
  EXPECT_FALSE(is_release(R"({"t":"plan"})"));
  EXPECT_FALSE(is_release("release"));
  EXPECT_FALSE(is_release(""));
}

TEST(ProtocolTest, PlanDefaultsAndErrors) {
  auto p = decode_plan(R"({"t":"plan","workloads":[{"name":"a"}],"expected":{"nodes":[],"distances":[]}})");
  ASSERT_TRUE(p.has_value()) << p.error();
  EXPECT_EQ(p->heartbeat_ms, 1000);
  EXPECT_TRUE(p->poweroff);
  EXPECT_EQ(p->workloads.at(0).params, nlohmann::json::object());

  const std::string topo = R"("expected":{"nodes":[],"distances":[]})";
  EXPECT_FALSE(decode_plan(R"({"t":"hello"})").has_value());
  EXPECT_FALSE(decode_plan(R"({"t":"plan","workloads":[],"heartbeat_ms":0,)" + topo + "}").has_value());
  EXPECT_FALSE(
      decode_plan(R"({"t":"plan","workloads":[{"name":"a","params":[1]}],)" + topo + "}").has_value());
  EXPECT_FALSE(decode_plan(R"({"t":"plan","workloads":[{"name":7}],)" + topo + "}").has_value());
  EXPECT_FALSE(decode_plan(R"({"t":"plan","workloads":{},)" + topo + "}").has_value());
  EXPECT_FALSE(decode_plan(R"({"t":"plan","workloads":[],"poweroff":1,)" + topo + "}").has_value());
  EXPECT_FALSE(decode_plan(R"({"t":"plan","workloads":[]})").has_value());
  EXPECT_FALSE(decode_plan("[[[[").has_value());
}

TEST(ProtocolTest, UnknownMembersAreIgnored) {
  auto m = decode_guest_message(R"({"t":"hb","seq":1,"uptime_s":2,"future":{"x":[1,2]}})");
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(std::get<Heartbeat>(*m), (Heartbeat{1, 2}));
}

TEST(ProtocolTest, OptionalMembersTakeDefaults) {
  auto m = decode_guest_message(R"({"t":"metric","workload":"w","name":"n","value":-3})");
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(std::get<Metric>(*m), (Metric{"w", "n", -3, "", model::Better::none}));
  auto e = decode_guest_message(R"({"t":"end","workload":"w","verdict":"pass","elapsed_s":1})");
  ASSERT_TRUE(e.has_value()) << e.error();
  EXPECT_EQ(std::get<StepEnd>(*e).detail, "");
}

TEST(ProtocolTest, RejectsMalformedLines) {
  for (std::string_view line : {"",
                                " ",
                                "{",
                                R"({"t":"hb","seq":1)",
                                "[]",
                                "null",
                                "42",
                                R"("hb")",
                                R"({"t":5})",
                                R"({"seq":1})",
                                R"({"t":"nope"})",
                                R"({"t":"plan"})",
                                R"({"t":"hb","seq":"1","uptime_s":0})",
                                R"({"t":"hb","seq":-1,"uptime_s":0})",
                                R"({"t":"hb","seq":1.5,"uptime_s":0})",
                                R"({"t":"hb","seq":1,"uptime_s":-1})",
                                R"({"t":"hb","seq":1})",
                                R"({"t":"hb","seq":1,"uptime_s":NaN})",
                                R"({"t":"hb","seq":1,"uptime_s":Infinity})",
                                R"({"t":"hb","seq":1,"uptime_s":1e400})",
                                R"({"t":"hb","seq":123456789012345678901234567890,"uptime_s":1})",
                                R"({"t":"metric","workload":"w","name":"n","value":1e999})",
                                R"({"t":"metric","workload":"w","name":"n","value":"1"})",
                                R"({"t":"metric","workload":"w","name":"n","value":1,"better":"sideways"})",
                                R"({"t":"end","workload":"w","verdict":"maybe","elapsed_s":1})",
                                R"({"t":"end","workload":"w","verdict":"hang","elapsed_s":1})",
                                R"({"t":"end","workload":"w","verdict":"pass","elapsed_s":null})",
                                R"({"t":"log","text":["a"]})",
                                R"({"t":"ready"})",
                                R"({"t":"start","workload":null})",
                                R"({"t":"hello","protocol":1})",
                                "{\"t\":\"log\",\"text\":\"a\x01\"}",
                                "{\"t\":\"log\",\"text\":\"\xff\xfe\"}"}) {
    SCOPED_TRACE(line);
    decode_error(line);
  }
  decode_error(std::string("{\"t\":\"done\"}\0x", 14));  // a NUL byte after the object
  EXPECT_NE(decode_error(R"({"t":"nope"})").find("unknown message type"), std::string::npos);
  EXPECT_NE(decode_error(R"({"t":"hb","seq":"1","uptime_s":0})").find("hb.seq"), std::string::npos);
}

TEST(ProtocolTest, DeepNestingIsRejectedWithoutRecursion) {
  EXPECT_NE(decode_error(std::string(10000, '[')).find("nested"), std::string::npos);
  std::string deep =
      R"({"t":"log","text":"x","extra":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_NE(decode_error(deep).find("nested"), std::string::npos);
  std::string braces;
  for (int i = 0; i < 10000; ++i) braces += R"({"a":)";
  decode_error(braces);
  // Brackets inside strings are text, not nesting.
  std::string in_string = R"({"t":"log","text":")" + std::string(1000, '[') + R"(\"{{{"})";
  auto m = decode_guest_message(in_string);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(std::get<Log>(*m).text, std::string(1000, '[') + "\"{{{");
}

TEST(ProtocolTest, LongLinesAndFieldsAreBounded) {
  std::string huge = R"({"t":"log","text":")" + std::string(k_max_line_bytes, 'x') + R"("})";
  EXPECT_NE(decode_error(huge).find("more than"), std::string::npos);

  auto log = decode_guest_message(R"({"t":"log","text":")" + std::string(20000, 'y') + R"("})");
  ASSERT_TRUE(log.has_value()) << log.error();
  EXPECT_EQ(std::get<Log>(*log).text.size(), k_max_text_bytes);

  // A cut never splits a UTF-8 sequence: 'µ' is two bytes.
  std::string mus;
  for (int i = 0; i < 9000; ++i) mus += "µ";
  auto cut = decode_guest_message(R"({"t":"log","text":"x)" + mus + R"("})");
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(std::get<Log>(*cut).text.size(), k_max_text_bytes - 1);

  decode_error(R"({"t":"start","workload":")" + std::string(k_max_name_bytes + 1, 'w') + R"("})");
  EXPECT_TRUE(
      decode_guest_message(R"({"t":"start","workload":")" + std::string(k_max_name_bytes, 'w') + R"("})")
          .has_value());

  // The encoder applies the same cuts, so its lines always decode.
  StepEnd end{"w", "fail", std::string(100000, 'd'), 1};
  std::string line = encode(GuestMessage(end));
  EXPECT_LT(line.size(), k_max_line_bytes);
  auto e = decode_guest_message(line);
  ASSERT_TRUE(e.has_value()) << e.error();
  EXPECT_EQ(std::get<StepEnd>(*e).detail.size(), k_max_text_bytes);
}

TEST(ProtocolTest, EncoderReplacesInvalidUtf8) {
  std::string line = encode(GuestMessage(Log{"bad \xff byte"}));
  auto m = decode_guest_message(line);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(std::get<Log>(*m).text, "bad \xEF\xBF\xBD byte");
}

// The clean-state notes of an end message are bounded like a hello's notes.
TEST(ProtocolTest, EndStateNotesBounds) {
  auto j = nlohmann::json::parse(encode(GuestMessage(StepEnd{"w", "pass", "", 1})));
  j["restored"] = std::vector<std::string>(40, std::string(1100, 'r'));
  j["left"] = {"one"};
  auto m = decode_guest_message(j.dump());
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(std::get<StepEnd>(*m).restored.size(), k_max_notes);
  EXPECT_EQ(std::get<StepEnd>(*m).restored[0].size(), k_max_note_bytes);
  EXPECT_EQ(std::get<StepEnd>(*m).left, std::vector<std::string>{"one"});
  j["left"] = {"ok", 3};
  EXPECT_NE(decode_error(j.dump()).find("left"), std::string::npos);
  j["left"] = "not an array";
  decode_error(j.dump());
  // What an encoder writes past the bounds decodes to what it keeps.
  StepEnd big{"w", "pass", "", 1, std::vector<std::string>(40, std::string(1100, 'r')), {}};
  auto again = decode_guest_message(encode(GuestMessage(big)));
  ASSERT_TRUE(again.has_value()) << again.error();
  EXPECT_EQ(std::get<StepEnd>(*again).restored.size(), k_max_notes);
}

nlohmann::json hello_json() {
  return nlohmann::json::parse(encode(GuestMessage(Hello{1, "r", "v", three_nodes(), 4, 1, 1, {}})));
}

TEST(ProtocolTest, HelloBounds) {
  auto j = hello_json();
  j["notes"] = std::vector<std::string>(40, std::string(1100, 'n'));
  auto m = decode_guest_message(j.dump());
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(std::get<Hello>(*m).notes.size(), k_max_notes);
  EXPECT_EQ(std::get<Hello>(*m).notes[0].size(), k_max_note_bytes);

  j = hello_json();
  j["notes"] = {"ok", 3};
  decode_error(j.dump());

  j = hello_json();
  j["topology"]["nodes"] = nlohmann::json::array();
  for (int i = 0; i < 65; ++i) j["topology"]["nodes"].push_back({{"id", i}, {"cpus", {}}, {"memory_kb", 0}});
  EXPECT_NE(decode_error(j.dump()).find("hello.topology.nodes: more than 64"), std::string::npos);

  j = hello_json();
  std::vector<int> cpus(1025);
  for (int i = 0; i < 1025; ++i) cpus[static_cast<std::size_t>(i)] = i;
  j["topology"]["nodes"][0]["cpus"] = cpus;
  decode_error(j.dump());

  j = hello_json();
  j["topology"]["distances"] = std::vector<std::vector<int>>(65, std::vector<int>(1, 10));
  decode_error(j.dump());
  j["topology"]["distances"] = std::vector<std::vector<int>>(1, std::vector<int>(65, 10));
  decode_error(j.dump());

  for (const auto& bad :
       {nlohmann::json(-1), nlohmann::json(1.5), nlohmann::json("1"), nlohmann::json(256)}) {
    j = hello_json();
    j["topology"]["distances"][0][1] = bad;
    decode_error(j.dump());
  }
  j = hello_json();
  j["topology"]["nodes"][1]["memory_kb"] = -5;
  EXPECT_NE(decode_error(j.dump()).find("nodes[1].memory_kb"), std::string::npos);
  j = hello_json();
  j["topology"]["nodes"][0]["id"] = 100000;
  decode_error(j.dump());
}

TEST(ProtocolTest, RandomMutationsNeverThrow) {
  std::vector<std::string> seeds = {
      encode(GuestMessage(Hello{1, "r", "v", three_nodes(), 4, 1, 1, {"n"}})),
      encode(GuestMessage(Metric{"w", "n", 1, "s", model::Better::lower})),
      encode(GuestMessage(StepEnd{"w", "pass", "d", 1})),
      encode(GuestMessage(Blocked{{{812, 812, "numalab-trigger", 4567, "mutex_lock", {"mutex_lock", "f"}}}})),
  };
  std::mt19937 rng(12345);
  std::string alphabet = "{}[]\",:0123456789.eE-+tnulfrsa\\ \xff";
  alphabet.push_back('\0');
  for (int i = 0; i < 5000; ++i) {
    std::string line = seeds[static_cast<std::size_t>(i) % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      std::size_t at = rng() % line.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          line[at] = c;
          break;
        case 1:
          line.insert(at, 1, c);
          break;
        default:
          line.erase(at, 1);
          break;
      }
    }
    EXPECT_NO_THROW({
      auto m = decode_guest_message(line);
      auto p = decode_plan(line);
      (void)m;
      (void)p;
    });
  }
}

}  // namespace
}  // namespace numalab::agent
