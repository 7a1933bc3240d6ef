#pragma once
// Optional: why an option was dropped, from the kernel source's Kconfig files. A light reader of
// the Kconfig language (config entries, their `depends on`, prompts and `select`s, and the `if`,
// `menu` and `choice` blocks around them), not an evaluator: enough for a hint in a message.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/kconfig_check.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

struct KconfigSymbolInfo {
  // One list per definition (an option may be defined in several places): its `depends on`
  // expressions, the conditions of the enclosing if/menu/choice blocks first.
  std::vector<std::vector<std::string>> depends_on;
  std::vector<std::string> selected_by;  // options that `select` it
  bool has_prompt = false;               // false: only a select or a default can set it
};

using KconfigSymbols = std::map<std::string, KconfigSymbolInfo, std::less<>>;

// From SOURCE_TREE/Kconfig down through every `source`, with $(SRCARCH) as given ("x86" for
// x86_64). A tree without a top-level Kconfig is a bad_input error.
util::Result<KconfigSymbols> read_kconfig_symbols(const std::filesystem::path& source_tree,
                                                  std::string_view srcarch = "x86");

// Why `dropped` came out as it did, for its message, with the `resolved` .config to say which
// dependencies are unset there and which selectors are set: "check its dependencies: depends on
// NFS_FS && SWAP; not set: SWAP", "check what selects it: KEXEC_CORE", or "there is no such option
// in this kernel's Kconfig files".
std::string dependency_hint(const KconfigSymbols& symbols, const DroppedOption& dropped,
                            const KconfigSettings& resolved);
void add_dependency_hints(std::vector<DroppedOption>& dropped, const KconfigSymbols& symbols,
                          const KconfigSettings& resolved);

}  // namespace numalab::kernel
