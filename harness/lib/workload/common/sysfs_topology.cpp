#include "workload/common/sysfs_topology.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>

#include "workload/common/meminfo.hpp"

namespace numalab::workload {

namespace fs = std::filesystem;

namespace {

constexpr int k_max_list_id = 65535;
constexpr std::size_t k_max_file_bytes = 1024 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool parse_id(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size() && out >= 0 && out <= k_max_list_id;
}

// "10 16 22" -> {10, 16, 22}.
std::expected<std::vector<int>, std::string> parse_int_row(std::string_view text) {
  std::vector<int> row;
  text = trim(text);
  while (!text.empty()) {
    auto end = text.find_first_of(" \t\n");
    std::string_view word = text.substr(0, end);
    int v = 0;
    if (!parse_id(word, v))
      return std::unexpected("not a number: \"" + std::string(word.substr(0, 16)) + "\"");
    row.push_back(v);
    if (row.size() > model::k_max_nodes)
      return std::unexpected("more than " + std::to_string(model::k_max_nodes) + " entries");
    text = end == std::string_view::npos ? std::string_view{} : trim(text.substr(end));
  }
  return row;
}

template <class T>
std::expected<T, std::string> in_file(const fs::path& p, std::expected<T, std::string> r) {
  if (!r) return std::unexpected(p.string() + ": " + r.error());
  return r;
}

std::expected<model::NodeTopology, std::string> read_node(const fs::path& node_root, int id,
                                                          const std::vector<int>& online_cpus) {
  fs::path dir = node_root / ("node" + std::to_string(id));
  model::NodeTopology node;
  node.id = id;
  auto cpulist = read_small_file(dir / "cpulist");
  if (!cpulist) return std::unexpected(cpulist.error());
  auto cpus = in_file(dir / "cpulist", parse_cpu_list(*cpulist, model::k_max_node_cpus));
  if (!cpus) return std::unexpected(cpus.error());
  for (int c : *cpus)
    if (std::binary_search(online_cpus.begin(), online_cpus.end(), c)) node.cpus.push_back(c);
  auto meminfo = read_small_file(dir / "meminfo");
  if (!meminfo) return std::unexpected(meminfo.error());
  auto mem = in_file(dir / "meminfo", workload::meminfo_kb(*meminfo, "MemTotal"));
  if (!mem) return std::unexpected(mem.error());
  node.memory_kb = *mem;
  return node;
}

std::expected<model::Topology, std::string> single_node(const fs::path& root, const std::vector<int>& cpus) {
  auto mem = read_mem_total_kb(root);
  if (!mem) return std::unexpected(mem.error());
  return model::Topology{{model::NodeTopology{0, cpus, *mem}}, {{10}}};
}

}  // namespace

std::expected<std::vector<int>, std::string> parse_cpu_list(std::string_view text, std::size_t max_entries) {
  std::vector<int> out;
  text = trim(text);
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    auto dash = item.find('-');
    int first = 0, last = 0;
    if (!parse_id(item.substr(0, dash), first) ||
        !parse_id(dash == std::string_view::npos ? item : item.substr(dash + 1), last) || last < first)
      return std::unexpected("bad list entry \"" + std::string(item.substr(0, 32)) + "\"");
    if (out.size() + static_cast<std::size_t>(last - first + 1) > max_entries)
      return std::unexpected("more than " + std::to_string(max_entries) + " entries");
    for (int i = first; i <= last; ++i) out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::expected<std::string, std::string> read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(path.string() + ": " + std::strerror(errno));
  std::string text(k_max_file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return std::unexpected(path.string() + ": read failed");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > k_max_file_bytes) return std::unexpected(path.string() + ": larger than 1 MiB");
  return text;
}

std::expected<std::vector<int>, std::string> read_online_cpus(const fs::path& root) {
  fs::path p = root / "sys/devices/system/cpu/online";
  auto text = read_small_file(p);
  if (!text) return std::unexpected(text.error());
  return in_file(p, parse_cpu_list(*text));
}

std::expected<std::uint64_t, std::string> read_mem_total_kb(const fs::path& root) {
  fs::path p = root / "proc/meminfo";
  auto text = read_small_file(p);
  if (!text) return std::unexpected(text.error());
  return in_file(p, workload::meminfo_kb(*text, "MemTotal"));
}

std::expected<double, std::string> read_uptime_s(const fs::path& root) {
  fs::path p = root / "proc/uptime";
  auto text = read_small_file(p);
  if (!text) return std::unexpected(text.error());
  double v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || !(v >= 0)) return std::unexpected(p.string() + ": not a number");
  return v;
}

std::expected<model::Topology, std::string> read_sysfs_topology(const fs::path& root) {
  auto online_cpus = read_online_cpus(root);
  if (!online_cpus) return std::unexpected(online_cpus.error());
  fs::path node_root = root / "sys/devices/system/node";
  std::error_code ec;
  if (!fs::exists(node_root / "online", ec)) return single_node(root, *online_cpus);
  auto text = read_small_file(node_root / "online");
  if (!text) return std::unexpected(text.error());
  auto ids = in_file(node_root / "online", parse_cpu_list(*text, model::k_max_nodes));
  if (!ids) return std::unexpected(ids.error());
  model::Topology t;
  for (int id : *ids) {
    auto node = read_node(node_root, id, *online_cpus);
    if (!node) return std::unexpected(node.error());
    t.nodes.push_back(std::move(*node));
    fs::path dp = node_root / ("node" + std::to_string(id)) / "distance";
    auto dtext = read_small_file(dp);
    if (!dtext) return std::unexpected(dtext.error());
    auto row = in_file(dp, parse_int_row(*dtext));
    if (!row) return std::unexpected(row.error());
    t.distances.push_back(std::move(*row));
  }
  return t;
}

}  // namespace numalab::workload
