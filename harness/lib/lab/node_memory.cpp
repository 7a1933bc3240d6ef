#include "lab/node_memory.hpp"

#include <algorithm>

#include "lab/lab.hpp"
#include "lab/toml_reading.hpp"
#include "model/size.hpp"

namespace numalab::lab {
namespace {

const std::string k_size_example = "memory = \"512M\" (units K, M, G, T; plain digits are bytes)";

// "memory \"1000K\" of node 1" or "memory 1000000 of node 1".
std::string memory_phrase(const toml::node& value, std::size_t id) {
  std::string shown =
      value.is_string() ? "\"" + value.as_string()->get() + "\"" : std::to_string(value.as_integer()->get());
  return "memory " + shown + " of node " + std::to_string(id);
}

std::optional<std::uint64_t> memory_bytes(const toml::node& value, std::size_t id, std::string_view path,
                                          Problems& problems) {
  if (const auto* number = value.as_integer()) {
    if (number->get() >= 0) return static_cast<std::uint64_t>(number->get());
    problems.add(value.source(), path,
                 memory_phrase(value, id) + " is negative; write e.g. " + k_size_example);
    return std::nullopt;
  }
  if (const auto* text = value.as_string()) {
    if (auto bytes = model::parse_size(text->get())) return bytes;
    problems.add(value.source(), path,
                 memory_phrase(value, id) + " is not a size; write e.g. " + k_size_example);
    return std::nullopt;
  }
  problems.add(value.source(), path,
               "memory of node " + std::to_string(id) +
                   " must be a size string or an integer number of bytes, e.g. " + k_size_example +
                   "; it is " + type_phrase(value));
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> read_node_memory(const toml::table& node, std::size_t id, std::string_view path,
                                              Problems& problems) {
  std::string memory_path = key_path(path, "memory");
  const toml::node* value = node.get("memory");
  if (value == nullptr) {
    problems.add(node.source(), memory_path,
                 "node " + std::to_string(id) +
                     " has no memory; add memory = \"512M\" (or memory = \"0\" for a memory-less node)");
    return std::nullopt;
  }
  auto bytes = memory_bytes(*value, id, memory_path, problems);
  if (!bytes || *bytes % k_mib == 0) return bytes;
  std::uint64_t rounded = std::max<std::uint64_t>(1, *bytes / k_mib + (*bytes % k_mib >= k_mib / 2 ? 1 : 0));
  problems.add(value->source(), memory_path,
               memory_phrase(*value, id) +
                   " is not a whole number of MiB, which QEMU needs; write e.g. memory = \"" +
                   std::to_string(rounded) + "M\"");
  return std::nullopt;
}

}  // namespace numalab::lab
