#pragma once
// Kconfig settings as a .config or a config fragment writes them: reading them (errors name the
// file and line), merging fragments in order, their canonical text, and the hash of a resolved
// .config that goes into the kernel cache key.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace numalab::kernel {

// One option's value as kconfig writes it after '=': y, m, 64, 0x1000 or "a \"string\"" (quotes
// and escapes kept). "# CONFIG_X is not set" and CONFIG_X=n both read as not set, which is a value
// of its own: a fragment may demand that an option stays off.
struct KconfigValue {
  std::string text;  // empty when not set

  static KconfigValue not_set() { return {}; }
  bool is_set() const { return !text.empty(); }
  bool operator==(const KconfigValue&) const = default;
};

struct KconfigSetting {
  KconfigValue value;
  std::string where;  // "kernels/numa-lab.config:57", for messages; "" when made in code
};

// Options by name without the CONFIG_ prefix ("NUMA"), so in name order.
struct KconfigSettings {
  std::map<std::string, KconfigSetting, std::less<>> options;

  KconfigValue value_of(std::string_view name) const;  // not set when absent
  void set(std::string name, KconfigValue value, std::string where = {});
};

// `source` names the text in messages ("kernels/numa-lab.config"). A line that kconfig would
// ignore or misread, or an option given twice, is a bad_input error: "SOURCE:LINE: what; fix".
util::Result<KconfigSettings> parse_kconfig(std::string_view text, std::string_view source);
// `shown_as`: the name used in messages; the path when empty.
util::Result<KconfigSettings> read_kconfig(const std::filesystem::path& file, std::string_view shown_as = {});

// "CONFIG_NUMA=y" or "# CONFIG_NUMA is not set".
std::string kconfig_line(std::string_view name, const KconfigValue& value);
// One line per option in name order, no comments: a fragment merge_config.sh can take as it is.
std::string kconfig_text(const KconfigSettings& settings);

// SHA-256 of the kconfig_text of the options that are set. kbuild sees only those (auto.conf
// lists nothing else), so "# CONFIG_X is not set", CONFIG_X=n and no line at all hash the same;
// so do the same settings in another order or with other comments.
std::string resolved_config_hash(const KconfigSettings& settings);

// A later fragment setting an option an earlier one had set to something else.
struct KconfigOverride {
  std::string name;
  KconfigSetting earlier;
  KconfigSetting later;
};

struct MergedKconfig {
  KconfigSettings settings;
  std::vector<KconfigOverride> overrides;  // in the order they happened
};

// Fragments in the order given; a later one wins, as with merge_config.sh.
MergedKconfig merge_kconfig(const std::vector<KconfigSettings>& fragments);
// "kernels/debug.config:4: CONFIG_X=y overrides '# CONFIG_X is not set' from kernels/numa-lab.config:9"
std::string describe(const KconfigOverride& o);

}  // namespace numalab::kernel
