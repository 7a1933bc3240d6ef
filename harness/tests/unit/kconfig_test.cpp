#include "kernel/kconfig.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "kernel/kconfig_check.hpp"
#include "kernel/kconfig_depends.hpp"
#include "util/sha256.hpp"
#include "util/temp_dir.hpp"

namespace numalab::kernel {
namespace {

KconfigSettings parsed(std::string_view text, std::string_view source = "frag.config") {
  auto settings = parse_kconfig(text, source);
  EXPECT_TRUE(settings) << settings.error().message;
  return settings ? *settings : KconfigSettings{};
}

std::string parse_error(std::string_view text) {
  auto settings = parse_kconfig(text, "frag.config");
  if (settings) return "(parsed)";
  EXPECT_EQ(settings.error().kind, util::ErrorKind::bad_input);
  return settings.error().message;
}

KconfigValue v(std::string text) { return KconfigValue{std::move(text)}; }

TEST(KconfigParse, ReadsEveryKindOfValue) {
  auto s = parsed(
      "# a comment\n"
      "\n"
      "CONFIG_NUMA=y\n"
      "CONFIG_NFS_FS=m\n"
      "CONFIG_NR_CPUS=64\n"
      "CONFIG_NEG=-3\n"
      "CONFIG_PHYSICAL_START=0x1000000\n"
      "CONFIG_CMDLINE=\"console=ttyS0 # not a comment \\\"quoted\\\"\"\n"
      "# CONFIG_SLOB is not set\n"
      "CONFIG_OFF=n\n"
      "# CONFIG_NUMA_EMU=y is a commented-out line, not a request\n");
  EXPECT_EQ(s.value_of("NUMA"), v("y"));
  EXPECT_EQ(s.value_of("NFS_FS"), v("m"));
  EXPECT_EQ(s.value_of("NR_CPUS"), v("64"));
  EXPECT_EQ(s.value_of("NEG"), v("-3"));
  EXPECT_EQ(s.value_of("PHYSICAL_START"), v("0x1000000"));
  EXPECT_EQ(s.value_of("CMDLINE"), v("\"console=ttyS0 # not a comment \\\"quoted\\\"\""));
  ASSERT_TRUE(s.options.contains("SLOB"));
  EXPECT_FALSE(s.value_of("SLOB").is_set());
  ASSERT_TRUE(s.options.contains("OFF")) << "=n is a request too: not set";
  EXPECT_FALSE(s.value_of("OFF").is_set());
  EXPECT_FALSE(s.options.contains("NUMA_EMU"));
  EXPECT_FALSE(s.value_of("ABSENT").is_set());
  EXPECT_EQ(s.options.size(), 8u);
  EXPECT_EQ(s.options.at("NUMA").where, "frag.config:3");
  EXPECT_EQ(s.options.at("SLOB").where, "frag.config:9");
}

TEST(KconfigParse, AcceptsTrailingCommentsCarriageReturnsAndNoFinalNewline) {
  auto s =
      parsed("CONFIG_A=y  # why A\r\n# CONFIG_B is not set\t# why not B\r\nCONFIG_C=\"x\" # c\nCONFIG_D=1");
  EXPECT_EQ(s.value_of("A"), v("y"));
  EXPECT_TRUE(s.options.contains("B"));
  EXPECT_FALSE(s.value_of("B").is_set());
  EXPECT_EQ(s.value_of("C"), v("\"x\""));
  EXPECT_EQ(s.value_of("D"), v("1"));
}

TEST(KconfigParse, BadLinesAreErrorsWithFileAndLine) {
  EXPECT_EQ(
      parse_error("CONFIG_A=y\nNUMA=y\n"),
      "frag.config:2: 'NUMA=y' is not a kconfig line; write CONFIG_NAME=VALUE, '# CONFIG_NAME is not set' "
      "or a # comment");
  EXPECT_EQ(parse_error("\n\nCONFIG_A=\n"),
            "frag.config:3: 'CONFIG_A=' has no value; write CONFIG_A=y or '# CONFIG_A is not set'");
  EXPECT_EQ(
      parse_error("CONFIG_A=yes\n"),
      "frag.config:1: 'CONFIG_A=yes' has the value 'yes'; values are y, m, n, a number, 0x and hex digits, "
      "or a \"quoted string\"");
  EXPECT_NE(parse_error("CONFIG_A\n").find("frag.config:1: 'CONFIG_A' is not NAME=VALUE"), std::string::npos);
  EXPECT_NE(parse_error("CONFIG_A-B=y\n").find("frag.config:1:"), std::string::npos);
  EXPECT_NE(parse_error("CONFIG_A=\"open\n")
                .find("frag.config:1: 'CONFIG_A=\"open' has a string without its closing"),
            std::string::npos);
  EXPECT_NE(parse_error("CONFIG_A=y because\n")
                .find("frag.config:1: 'CONFIG_A=y because' has text after its value"),
            std::string::npos);
  EXPECT_NE(parse_error("CONFIG_A=y#tight\n").find("has text after its value"), std::string::npos);
  EXPECT_NE(parse_error("CONFIG_A=0x\n").find("has the value '0x'"), std::string::npos);
  EXPECT_NE(parse_error("  CONFIG_A=y\n").find("frag.config:1: '  CONFIG_A=y' starts with blanks"),
            std::string::npos);
  EXPECT_NE(parse_error("# CONFIG_A is not set, really\n")
                .find("frag.config:1: '# CONFIG_A is not set, really' has "
                      "text after 'is not set'"),
            std::string::npos);
}

TEST(KconfigParse, AnOptionGivenTwiceIsAnErrorNamingBothLines) {
  EXPECT_EQ(parse_error("CONFIG_A=y\n# c\n# CONFIG_A is not set\n"),
            "frag.config:3: CONFIG_A is already set at frag.config:1; keep one of the two lines");
}

TEST(KconfigParse, ReadsAFileUnderTheNameGiven) {
  auto dir = util::ScopedTempDir::create();
  ASSERT_TRUE(dir);
  std::ofstream(dir->path() / "numa-lab.config") << "CONFIG_NUMA=y\nCONFIG_NUMA=m\n";
  auto s = read_kconfig(dir->path() / "numa-lab.config", "kernels/numa-lab.config");
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().message.starts_with("kernels/numa-lab.config:2: ")) << s.error().message;
  auto missing = read_kconfig(dir->path() / "nope.config");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.config"), std::string::npos) << missing.error().message;
}

TEST(KconfigParse, TheProjectsFragmentsParse) {
  for (const char* name : {"numa-lab.config", "debug.config"}) {
    auto s = read_kconfig(std::filesystem::path(NUMALAB_SOURCE_DIR) / "kernels" / name);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_GT(s->options.size(), 10u) << name;
  }
}

TEST(KconfigText, IsOneLinePerOptionInNameOrderAndParsesBack) {
  auto s = parsed("CONFIG_B=m\n# comment\n# CONFIG_C is not set\nCONFIG_A=\"x y\"\n");
  EXPECT_EQ(kconfig_text(s), "CONFIG_A=\"x y\"\nCONFIG_B=m\n# CONFIG_C is not set\n");
  EXPECT_EQ(kconfig_text(parsed(kconfig_text(s))), kconfig_text(s));
}

TEST(KconfigMerge, LaterFragmentsWinAndOverridesAreRecorded) {
  auto base = parsed("CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\nCONFIG_D=64\n", "numa-lab.config");
  auto debug = parsed("CONFIG_B=y\nCONFIG_C=y\nCONFIG_E=y\n", "debug.config");
  auto local = parsed("# CONFIG_A is not set\nCONFIG_C=m\n", "local.config");
  auto merged = merge_kconfig({base, debug, local});
  EXPECT_EQ(kconfig_text(merged.settings),
            "# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_C=m\nCONFIG_D=64\nCONFIG_E=y\n");
  EXPECT_EQ(merged.settings.options.at("C").where, "local.config:2");
  EXPECT_EQ(merged.settings.options.at("B").where, "debug.config:1") << "the last fragment that set it";
  ASSERT_EQ(merged.overrides.size(), 3u) << "B is set to the same value again: no override";
  EXPECT_EQ(describe(merged.overrides[0]),
            "debug.config:2: CONFIG_C=y overrides '# CONFIG_C is not set' from numa-lab.config:3");
  EXPECT_EQ(describe(merged.overrides[1]),
            "local.config:1: '# CONFIG_A is not set' overrides CONFIG_A=y from numa-lab.config:1");
  EXPECT_EQ(describe(merged.overrides[2]),
            "local.config:2: CONFIG_C=m overrides CONFIG_C=y from debug.config:2");
}

TEST(KconfigMerge, NoFragmentsMergeToNothing) {
  auto merged = merge_kconfig({});
  EXPECT_TRUE(merged.settings.options.empty());
  EXPECT_TRUE(merged.overrides.empty());
}

TEST(KconfigDropped, FindsEveryRequestThatDidNotComeOutAsAsked) {
  auto requested = parsed(
      "CONFIG_KEPT=y\n"
      "CONFIG_AS_MODULE=y\n"
      "CONFIG_GONE=y\n"
      "CONFIG_PROMOTED=m\n"
      "# CONFIG_MUST_BE_OFF is not set\n"
      "# CONFIG_OFF_ABSENT is not set\n"
      "# CONFIG_OFF_WRITTEN is not set\n"
      "CONFIG_NR_CPUS=64\n"
      "CONFIG_HEX=0x1F\n"
      "CONFIG_TEXT=\"a\"\n",
      "numa-lab.config");
  auto resolved = parsed(
      "CONFIG_KEPT=y\n"
      "CONFIG_AS_MODULE=m\n"
      "CONFIG_PROMOTED=y\n"
      "CONFIG_MUST_BE_OFF=y\n"
      "# CONFIG_OFF_WRITTEN is not set\n"
      "CONFIG_NR_CPUS=8\n"
      "CONFIG_HEX=0x1f\n"
      "CONFIG_TEXT=\"b\"\n"
      "CONFIG_UNRELATED=y\n",
      ".config");
  auto dropped = dropped_options(requested, resolved);
  std::vector<std::string> described;
  for (const auto& d : dropped) described.push_back(describe(d));
  EXPECT_EQ(described,
            (std::vector<std::string>{
                "numa-lab.config:2: CONFIG_AS_MODULE=y requested, CONFIG_AS_MODULE=m in the result",
                "numa-lab.config:3: CONFIG_GONE=y requested, not set in the result",
                "numa-lab.config:5: '# CONFIG_MUST_BE_OFF is not set' requested, CONFIG_MUST_BE_OFF=y "
                "in the result",
                "numa-lab.config:8: CONFIG_NR_CPUS=64 requested, CONFIG_NR_CPUS=8 in the result",
                "numa-lab.config:4: CONFIG_PROMOTED=m requested, CONFIG_PROMOTED=y in the result",
                "numa-lab.config:10: CONFIG_TEXT=\"a\" requested, CONFIG_TEXT=\"b\" in the result",
            }));
}

TEST(KconfigDropped, AnUnsetRequestIsMetByAnOptionTheResultDoesNotWrite) {
  // kconfig leaves out options whose dependencies are unmet: absent means not set.
  EXPECT_TRUE(
      dropped_options(parsed("# CONFIG_RANDOMIZE_BASE is not set\n"), parsed("CONFIG_A=y\n")).empty());
}

TEST(KconfigDropped, NumbersCompareByValueButNotAcrossBases) {
  auto dropped = dropped_options(parsed("CONFIG_A=0x40\nCONFIG_B=64\nCONFIG_C=007\n"),
                                 parsed("CONFIG_A=0x0040\nCONFIG_B=0x40\nCONFIG_C=7\n"));
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].name, "B");
}

TEST(KconfigDropped, TheErrorListsThemAll) {
  auto dropped = dropped_options(parsed("CONFIG_A=y\nCONFIG_B=y\n"), parsed("CONFIG_A=m\n"));
  dropped[1].hint = "check its dependencies: depends on SWAP && NFS_FS";
  auto error = dropped_options_error(dropped);
  EXPECT_EQ(error.kind, util::ErrorKind::bad_input);
  EXPECT_EQ(
      error.message,
      "make olddefconfig did not keep 2 options the config fragments asked for; change the fragments or "
      "what the options depend on:\n"
      "  frag.config:1: CONFIG_A=y requested, CONFIG_A=m in the result\n"
      "  frag.config:2: CONFIG_B=y requested, not set in the result (check its dependencies: depends on "
      "SWAP && NFS_FS)");
  EXPECT_TRUE(dropped_options(parsed("CONFIG_A=y\n"), parsed("CONFIG_A=y\nCONFIG_B=y\n")).empty());
}

TEST(KconfigHash, IgnoresOrderCommentsAndHowUnsetIsWritten) {
  const auto a = parsed("# generated\nCONFIG_A=y\nCONFIG_B=\"x\"\n# CONFIG_C is not set\n\nCONFIG_D=0x10\n");
  const auto b = parsed("CONFIG_D=0x10  # hex\nCONFIG_C=n\nCONFIG_B=\"x\"\nCONFIG_A=y\n");
  const auto c = parsed("CONFIG_B=\"x\"\nCONFIG_D=0x10\nCONFIG_A=y\n");
  EXPECT_EQ(resolved_config_hash(a), resolved_config_hash(b));
  EXPECT_EQ(resolved_config_hash(a), resolved_config_hash(c));
  EXPECT_EQ(resolved_config_hash(a), util::sha256_hex("CONFIG_A=y\nCONFIG_B=\"x\"\nCONFIG_D=0x10\n"));
  EXPECT_NE(resolved_config_hash(a),
            resolved_config_hash(parsed("CONFIG_A=m\nCONFIG_B=\"x\"\nCONFIG_D=0x10\n")));
  EXPECT_NE(resolved_config_hash(a),
            resolved_config_hash(parsed("CONFIG_A=y\nCONFIG_B=\"x\"\nCONFIG_D=0x10\nCONFIG_E=y\n")));
  EXPECT_EQ(resolved_config_hash(KconfigSettings{}), util::sha256_hex(""));
}

// A small source tree in the Kconfig language, with the constructs the reader must get right.
class KconfigSymbolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = util::ScopedTempDir::create();
    ASSERT_TRUE(made);
    dir_.emplace(std::move(*made));
    write("Kconfig",
          "mainmenu \"Linux\"\n"
          "source \"arch/$(SRCARCH)/Kconfig\"\n"
          "config SWAP\n"
          "\tbool \"Swap\"\n"
          "\tdepends on MMU && BLOCK # a comment\n"
          "\thelp\n"
          "\t  Help text is not Kconfig:\n"
          "\t  config FAKE\n"
          "\t\tdepends on NOTHING\n"
          "\n"
          "\t  select ALSO_NOT\n"
          "menu \"Network file systems\"\n"
          "\tdepends on NET\n"
          "if NETWORK_FILESYSTEMS\n"
          "source \"fs/nfs/Kconfig\"\n"
          "endif\n"
          "endmenu\n"
          "config AFTER_MENU\n"
          "\ttristate \"after\"\n"
          "choice\n"
          "\tprompt \"Debug information\"\n"
          "\tdepends on DEBUG_KERNEL\n"
          "config DWARF5\n"
          "\tbool \"DWARF 5\"\n"
          "\tselect DEBUG_INFO\n"
          "\tdepends on !CC_IS_CLANG || \\\n"
          "\t\tAS_IS_LLVM\n"
          "endchoice\n"
          "config DEBUG_INFO\n"
          "\tbool\n");
    write("arch/x86/Kconfig",
          "config MMU\n\tdef_bool y\nconfig KEXEC_CORE\n\tbool\n\tselect CRASH_CORE\nconfig "
          "CRASH_CORE\n\tbool\n");
    write("fs/nfs/Kconfig",
          "config NFS_FS\n\ttristate \"NFS client\"\n\tdepends on INET\n"
          "config NFS_SWAP\n\tbool \"Swap over NFS\"\n\tdepends on NFS_FS && SWAP\n\tselect SUNRPC_SWAP\n"
          "config SUNRPC_SWAP\n\tbool\n");
  }

  void write(const std::string& relative, const std::string& text) {
    const auto file = dir_->path() / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }

  KconfigSymbols read() {
    auto symbols = read_kconfig_symbols(dir_->path(), "x86");
    EXPECT_TRUE(symbols) << symbols.error().message;
    return symbols ? *symbols : KconfigSymbols{};
  }

  std::optional<util::ScopedTempDir> dir_;
};

TEST_F(KconfigSymbolsTest, ReadsDependenciesWithTheirEnclosingBlocks) {
  const auto symbols = read();
  using Lists = std::vector<std::vector<std::string>>;
  EXPECT_EQ(symbols.at("SWAP").depends_on, (Lists{{"MMU && BLOCK"}}));
  EXPECT_EQ(symbols.at("NFS_SWAP").depends_on, (Lists{{"NET", "NETWORK_FILESYSTEMS", "NFS_FS && SWAP"}}));
  EXPECT_EQ(symbols.at("AFTER_MENU").depends_on, (Lists{{}})) << "the menu and the if have ended";
  EXPECT_EQ(symbols.at("DWARF5").depends_on, (Lists{{"DEBUG_KERNEL", "!CC_IS_CLANG || \t\tAS_IS_LLVM"}}));
  EXPECT_TRUE(symbols.at("MMU").depends_on.size() == 1) << "arch/$(SRCARCH) was followed";
  EXPECT_FALSE(symbols.contains("FAKE")) << "help text was read as Kconfig";
  EXPECT_FALSE(symbols.contains("ALSO_NOT")) << "help text was read as Kconfig";
  EXPECT_EQ(symbols.at("CRASH_CORE").selected_by, std::vector<std::string>{"KEXEC_CORE"});
  EXPECT_EQ(symbols.at("DEBUG_INFO").selected_by, std::vector<std::string>{"DWARF5"});
  EXPECT_TRUE(symbols.at("NFS_SWAP").has_prompt);
  EXPECT_FALSE(symbols.at("SUNRPC_SWAP").has_prompt);
  EXPECT_FALSE(symbols.at("MMU").has_prompt);
}

TEST_F(KconfigSymbolsTest, HintsSayWhatToCheck) {
  const auto symbols = read();
  const auto resolved = parsed(
      "CONFIG_NET=y\nCONFIG_NETWORK_FILESYSTEMS=y\nCONFIG_NFS_FS=y\nCONFIG_KEXEC_CORE=y\nCONFIG_CRASH_CORE="
      "y\n");
  auto dropped = dropped_options(
      parsed("CONFIG_NFS_SWAP=y\nCONFIG_SUNRPC_SWAP=y\n# CONFIG_CRASH_CORE is not set\nCONFIG_NFS_SWOP=y\n"
             "CONFIG_DWARF5=y\n"),
      resolved);
  add_dependency_hints(dropped, symbols, resolved);
  ASSERT_EQ(dropped.size(), 5u);
  EXPECT_EQ(
      describe(dropped[0]),
      "frag.config:3: '# CONFIG_CRASH_CORE is not set' requested, CONFIG_CRASH_CORE=y in the result (check "
      "what selects it: KEXEC_CORE)");
  EXPECT_EQ(dropped[1].hint,
            "check its dependencies: depends on DEBUG_KERNEL && (!CC_IS_CLANG || \t\tAS_IS_LLVM); not set: "
            "DEBUG_KERNEL");
  EXPECT_EQ(
      describe(dropped[2]),
      "frag.config:1: CONFIG_NFS_SWAP=y requested, not set in the result (check its dependencies: depends "
      "on NET && NETWORK_FILESYSTEMS && NFS_FS && SWAP; not set: SWAP)");
  EXPECT_EQ(dropped[3].hint, "there is no such option in this kernel's Kconfig files");
  EXPECT_EQ(
      dropped[4].hint,
      "check its dependencies: depends on NET && NETWORK_FILESYSTEMS; it has no prompt, so only a select "
      "sets it: selected by NFS_SWAP");
}

TEST(KconfigSymbols, ATreeWithoutKconfigIsAnError) {
  auto dir = util::ScopedTempDir::create();
  ASSERT_TRUE(dir);
  auto symbols = read_kconfig_symbols(dir->path());
  ASSERT_FALSE(symbols);
  EXPECT_EQ(symbols.error().kind, util::ErrorKind::bad_input);
}

// The real thing, where a Linux 6.1 tree has been unpacked (kernels/numa-lab.config says how).
TEST(KconfigSymbols, ReadsLinux61WhenItIsThere) {
  const char* env = std::getenv("NUMALAB_LINUX_TREE");
  const std::filesystem::path tree = env != nullptr ? env : "/var/tmp/linux-6.1";
  if (!std::filesystem::exists(tree / "Kconfig"))
    GTEST_SKIP() << "no Linux source tree at " << tree << " (set NUMALAB_LINUX_TREE)";
  auto symbols = read_kconfig_symbols(tree);
  ASSERT_TRUE(symbols) << symbols.error().message;
  const auto& nfs_swap = symbols->at("NFS_SWAP");
  ASSERT_EQ(nfs_swap.depends_on.size(), 1u);
  EXPECT_EQ(nfs_swap.depends_on[0].back(), "NFS_FS && SWAP");
  EXPECT_NE(std::find(nfs_swap.depends_on[0].begin(), nfs_swap.depends_on[0].end(), "NETWORK_FILESYSTEMS"),
            nfs_swap.depends_on[0].end());
  EXPECT_EQ(symbols->at("CRASH_CORE").selected_by.front(), "KEXEC_CORE");
  EXPECT_TRUE(symbols->at("X86_64_ACPI_NUMA").has_prompt);
  auto fragment = read_kconfig(std::filesystem::path(NUMALAB_SOURCE_DIR) / "kernels/numa-lab.config");
  ASSERT_TRUE(fragment) << fragment.error().message;
  for (const auto& [name, setting] : fragment->options)
    EXPECT_FALSE(symbols->at(name).depends_on.empty())
        << "numa-lab.config names CONFIG_" << name << ", which Linux 6.1 does not have";
}

}  // namespace
}  // namespace numalab::kernel
