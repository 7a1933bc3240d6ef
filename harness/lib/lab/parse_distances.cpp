// read_distances: [machine.distances] matrix = [[...]], the ACPI SLIT a machine's guest sees.
// Square, one row per node; 10 on the diagonal, 11..254 elsewhere (255 means unreachable in ACPI,
// and QEMU refuses it). The matrix need not be symmetric: QEMU accepts asymmetric distances and
// the kernel uses them as given, so a lab may declare them to test code that assumes symmetry.
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"

namespace numalab::lab {
namespace {

constexpr int k_local_distance = 10;
constexpr int k_default_remote_distance = 20;
constexpr int k_min_remote_distance = 11;
constexpr int k_max_remote_distance = 254;

const std::vector<std::string> k_distances_keys = {"matrix"};

std::string cell_name(std::size_t row, std::size_t column) {
  return "distances.matrix[" + std::to_string(row) + "][" + std::to_string(column) + "]";
}

// One row; nullopt, with each problem reported, when it is not an array of node_count distances.
std::optional<std::vector<int>> read_row(const toml::node& node, std::size_t row, std::size_t node_count,
                                         std::string_view path, Problems& problems) {
  std::string row_path = indexed_path(path, row);
  std::string row_name = "distances.matrix[" + std::to_string(row) + "]";
  const toml::array* array = node.as_array();
  if (array == nullptr || array->size() != node_count) {
    std::string has = array == nullptr ? type_phrase(node) : std::to_string(array->size()) + " entries";
    problems.add(node.source(), row_path,
                 row_name + " is " + has + "; it must be an array of " + std::to_string(node_count) +
                     " distances, one per node");
    return std::nullopt;
  }
  std::vector<int> distances;
  for (std::size_t column = 0; column < node_count; ++column) {
    const toml::node& cell = *array->get(column);
    std::string cell_path = indexed_path(row_path, column);
    const auto* number = cell.as_integer();
    if (number == nullptr) {
      problems.add(cell.source(), cell_path,
                   cell_name(row, column) + " must be an integer distance; it is " + type_phrase(cell));
      continue;
    }
    std::int64_t value = number->get();
    std::string is = cell_name(row, column) + " is " + std::to_string(value);
    if (row == column && value != k_local_distance)
      problems.add(cell.source(), cell_path, is + "; a node's distance to itself must be 10");
    else if (row != column && (value < k_min_remote_distance || value > k_max_remote_distance))
      problems.add(cell.source(), cell_path, is + "; remote distances must be 11..254");
    else
      distances.push_back(static_cast<int>(value));
  }
  if (distances.size() != node_count) return std::nullopt;
  return distances;
}

// The default matrix as TOML, "[[10, 20], [20, 10]]", for machines small enough to show it.
std::string matrix_example(std::size_t node_count) {
  if (node_count > 4) return "[[10, 20, ...], [20, 10, ...], ...]";
  std::string out = "[";
  for (const auto& row : default_distances(node_count)) {
    out += out.size() > 1 ? ", [" : "[";
    for (std::size_t j = 0; j < row.size(); ++j) out += (j > 0 ? ", " : "") + std::to_string(row[j]);
    out += "]";
  }
  return out + "]";
}

}  // namespace

model::NodeDistanceMatrix default_distances(std::size_t node_count) {
  model::NodeDistanceMatrix matrix(node_count, std::vector<int>(node_count, k_default_remote_distance));
  for (std::size_t i = 0; i < node_count; ++i) matrix[i][i] = k_local_distance;
  return matrix;
}

model::NodeDistanceMatrix read_distances(const toml::node& distances, std::size_t node_count,
                                         std::string_view path, Problems& problems) {
  if (node_count == 0) return {};  // the machine's nodes are wrong, and reported already
  const toml::table* table = distances.as_table();
  if (table == nullptr) {
    problems.add(distances.source(), path,
                 "'distances' must be a table: write [machine.distances] and matrix = [[...]]; it is " +
                     type_phrase(distances));
    return default_distances(node_count);
  }
  check_known_keys(*table, k_distances_keys, "[machine.distances]", path, problems);
  std::string matrix_path = key_path(path, "matrix");
  const toml::node* matrix = table->get("matrix");
  const toml::array* rows = matrix == nullptr ? nullptr : matrix->as_array();
  if (rows == nullptr || rows->size() != node_count) {
    std::string has = matrix == nullptr ? "missing"
                      : rows == nullptr ? type_phrase(*matrix)
                                        : "an array of " + std::to_string(rows->size()) + " rows";
    problems.add(matrix == nullptr ? table->source() : matrix->source(), matrix_path,
                 "distances.matrix is " + has + "; the machine has " + std::to_string(node_count) +
                     " nodes, so it needs " + std::to_string(node_count) + " rows of " +
                     std::to_string(node_count) + " distances, e.g. matrix = " + matrix_example(node_count));
    return default_distances(node_count);
  }
  model::NodeDistanceMatrix result;
  bool ok = true;
  for (std::size_t row = 0; row < node_count; ++row) {
    auto distances_of_row = read_row(*rows->get(row), row, node_count, matrix_path, problems);
    ok = ok && distances_of_row.has_value();
    if (distances_of_row) result.push_back(std::move(*distances_of_row));
  }
  return ok ? result : default_distances(node_count);
}

}  // namespace numalab::lab
