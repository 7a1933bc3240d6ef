#include "lab/toml_reading.hpp"

#include <algorithm>

#include "lab/closest_name.hpp"

namespace numalab::lab {

std::string type_phrase(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return node.is_array_of_tables() ? "an array of tables" : "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string key_path(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

std::string indexed_path(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

void check_known_keys(const toml::table& table, const std::vector<std::string>& known, std::string_view where,
                      std::string_view path, Problems& problems) {
  for (auto&& [key, value] : table) {
    std::string name(key.str());
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string hint = did_you_mean(name, known);
    if (hint.empty()) hint = known.empty() ? "; remove it" : "; known keys: " + join_names(known);
    problems.add(key.source(), key_path(path, name),
                 "unknown key '" + name + "' in " + std::string(where) + hint);
  }
}

std::optional<std::string> read_string(const toml::table& table, std::string_view key,
                                       std::string_view example, std::string_view path, Problems& problems) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* text = node->as_string()) return text->get();
  problems.add(node->source(), key_path(path, key),
               "'" + std::string(key) + "' must be a string, e.g. " + std::string(example) + "; it is " +
                   type_phrase(*node));
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_array(const toml::node& node, std::string_view key,
                                                          std::string_view example, std::string_view path,
                                                          Problems& problems) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    problems.add(node.source(), path,
                 "'" + std::string(key) + "' must be an array of strings, e.g. " + std::string(example) +
                     "; it is " + type_phrase(node));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    if (const auto* text = element.as_string()) {
      out.push_back(text->get());
      continue;
    }
    ok = false;
    problems.add(element.source(), indexed_path(path, i),
                 std::string(key) + "[" + std::to_string(i) + "] must be a string, e.g. " +
                     std::string(example) + "; it is " + type_phrase(element));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::vector<std::string> read_cmdline(const toml::node& node, std::string_view path, Problems& problems) {
  auto entries = read_string_array(node, "cmdline", "cmdline = [\"numa_balancing=1\"]", path, problems);
  if (!entries) return {};
  std::vector<std::string> out;
  const auto& array = *node.as_array();
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const std::string& entry = (*entries)[i];
    std::string bad = entry.find('\n') != std::string::npos   ? "a newline"
                      : entry.find('\r') != std::string::npos ? "a carriage return"
                      : entry.find('\0') != std::string::npos ? "a NUL character"
                                                              : "";
    if (bad.empty()) {
      out.push_back(entry);
      continue;
    }
    problems.add(array.get(i)->source(), indexed_path(path, i),
                 "cmdline[" + std::to_string(i) + "] contains " + bad +
                     "; a kernel command line is one line: put each argument in its own string");
  }
  return out;
}

}  // namespace numalab::lab
