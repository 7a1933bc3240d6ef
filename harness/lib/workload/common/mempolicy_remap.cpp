#include "workload/common/mempolicy_remap.hpp"

#include <charconv>

namespace numalab::workload {

namespace {

// The position of the n-th set bit (n from 0), or -1.
int nth_set(const NodeMask& mask, std::size_t n) {
  for (std::size_t b = 0; b < mask.size(); ++b) {
    if (!mask.test(b)) continue;
    if (n == 0) return static_cast<int>(b);
    --n;
  }
  return -1;
}

// bitmap_pos_to_ord: how many set bits precede pos, or -1 when pos is not set.
int ordinal(const NodeMask& mask, std::size_t pos) {
  if (pos >= mask.size() || !mask.test(pos)) return -1;
  int n = 0;
  for (std::size_t b = 0; b < pos; ++b) n += mask.test(b) ? 1 : 0;
  return n;
}

bool in_range(int node) { return node >= 0 && static_cast<std::size_t>(node) < k_max_node_ids; }

}  // namespace

int remap_node(int node, const NodeMask& old_mask, const NodeMask& new_mask) {
  if (!in_range(node)) return node;
  std::size_t w = new_mask.count();
  int n = ordinal(old_mask, static_cast<std::size_t>(node));
  if (n < 0 || w == 0) return node;
  return nth_set(new_mask, static_cast<std::size_t>(n) % w);
}

NodeMask remap_nodes(const NodeMask& src, const NodeMask& old_mask, const NodeMask& new_mask) {
  NodeMask dst;
  for (std::size_t b = 0; b < src.size(); ++b)
    if (src.test(b)) dst.set(static_cast<std::size_t>(remap_node(static_cast<int>(b), old_mask, new_mask)));
  return dst;
}

NodeMask onto_nodes(const NodeMask& orig, const NodeMask& relmap) {
  NodeMask dst;
  std::size_t m = 0;
  for (std::size_t n = 0; n < relmap.size(); ++n) {
    if (!relmap.test(n)) continue;
    if (orig.test(m)) dst.set(n);
    ++m;
  }
  return dst;
}

NodeMask fold_nodes(const NodeMask& orig, std::size_t size) {
  NodeMask dst;
  if (size == 0) return dst;
  for (std::size_t b = 0; b < orig.size(); ++b)
    if (orig.test(b)) dst.set(b % size);
  return dst;
}

NodeMask relative_nodes(const NodeMask& user, const NodeMask& allowed) {
  return onto_nodes(fold_nodes(user, allowed.count()), allowed);
}

int first_node(const NodeMask& mask) { return nth_set(mask, 0); }

std::string format_node_list(const NodeMask& mask) {
  std::string out;
  std::size_t b = 0;
  while (b < mask.size()) {
    if (!mask.test(b)) {
      ++b;
      continue;
    }
    std::size_t e = b;
    while (e + 1 < mask.size() && mask.test(e + 1)) ++e;
    if (!out.empty()) out += ',';
    out += std::to_string(b);
    if (e > b) out += '-' + std::to_string(e);
    b = e + 1;
  }
  return out;
}

std::string describe_nodes(const NodeMask& mask) { return mask.none() ? "none" : format_node_list(mask); }

std::optional<NodeMask> parse_node_list(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  NodeMask mask;
  auto number = [](std::string_view word) -> std::optional<std::size_t> {
    std::size_t v = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    if (word.empty() || ec != std::errc{} || end != word.data() + word.size() || v >= k_max_node_ids)
      return std::nullopt;
    return v;
  };
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    auto dash = item.find('-');
    auto lo = number(item.substr(0, dash));
    auto hi = dash == std::string_view::npos ? lo : number(item.substr(dash + 1));
    if (!lo || !hi || *hi < *lo) return std::nullopt;
    for (std::size_t b = *lo; b <= *hi; ++b) mask.set(b);
    if (comma != std::string_view::npos && text.empty()) return std::nullopt;  // "0,"
  }
  return mask;
}

NodeMask nodes(std::initializer_list<int> ids) {
  NodeMask mask;
  for (int id : ids)
    if (in_range(id)) mask.set(static_cast<std::size_t>(id));
  return mask;
}

std::vector<int> node_ids(const NodeMask& mask) {
  std::vector<int> ids;
  for (std::size_t b = 0; b < mask.size(); ++b)
    if (mask.test(b)) ids.push_back(static_cast<int>(b));
  return ids;
}

}  // namespace numalab::workload
