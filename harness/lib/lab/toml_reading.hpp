#pragma once
// Reading typed values out of a parsed lab file, reporting each value that has the wrong type and
// each key nobody asked for, and carrying on.

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/problems.hpp"

namespace numalab::lab {

// How a value is named in messages: "a string", "an integer", "a table".
std::string type_phrase(const toml::node& node);

// key_path("machine[0]", "node") == "machine[0].node"; indexed_path("machine", 0) == "machine[0]".
std::string key_path(std::string_view path, std::string_view key);
std::string indexed_path(std::string_view path, std::size_t index);

// Reports each key of `table` that is not in `known`, with the closest known key when one is near:
// "unknown key 'memroy' in [[machine.node]]; did you mean 'memory'?". `where` names the table.
void check_known_keys(const toml::table& table, const std::vector<std::string>& known, std::string_view where,
                      std::string_view path, Problems& problems);

// table[key] as a string; a value of another type is reported ("'name' must be a string, e.g.
// name = \"numa2\"; it is an integer"). nullopt when the key is absent or the value is wrong.
std::optional<std::string> read_string(const toml::table& table, std::string_view key,
                                       std::string_view example, std::string_view path, Problems& problems);

// An array of strings (config fragments, cmdline); nullopt, with each problem reported, when it
// is not an array or an element is not a string.
std::optional<std::vector<std::string>> read_string_array(const toml::node& node, std::string_view key,
                                                          std::string_view example, std::string_view path,
                                                          Problems& problems);

// A kernel command line: an array of strings, none containing a newline or a NUL. Entries with a
// problem are reported and left out.
std::vector<std::string> read_cmdline(const toml::node& node, std::string_view path, Problems& problems);

}  // namespace numalab::lab
