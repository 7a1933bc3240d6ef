#pragma once
// Total, bounded reading of untrusted JSON: the members of one object are read through a
// JsonObjectReader, which checks presence, type and range and keeps the first problem as a message
// ("hello.topology.nodes[1].cpus: expected an array"). Nothing here throws on bad input.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace numalab::agent {

enum class Presence { required, optional };
enum class Overlong { reject, truncate };

// Cuts s to at most max_bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(std::string s, std::size_t max_bytes);

// True when no '[' or '{' in text (outside strings) is nested deeper than max_depth. A cheap
// scan before parsing, so a line of ten thousand '[' never reaches the parser.
bool nesting_within(std::string_view text, std::size_t max_depth);

// Parses one line without exceptions: an error message for over-long, too deeply nested, invalid
// JSON, or JSON that is not an object.
std::string parse_object_line(std::string_view line, nlohmann::json& out);

class JsonObjectReader {
 public:
  // where: the path of obj for messages, e.g. "hello.topology". obj need not be an object: the
  // reader then reports it.
  JsonObjectReader(const nlohmann::json& obj, std::string where);

  std::string string(std::string_view key, std::size_t max_bytes, Overlong overlong,
                     Presence presence = Presence::required);
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max,
                       Presence presence = Presence::required, std::int64_t fallback = 0);
  std::uint64_t unsigned_integer(std::string_view key, Presence presence = Presence::required,
                                 std::uint64_t fallback = 0);
  // Any finite JSON number in [min, max].
  double number(std::string_view key, double min, double max, Presence presence = Presence::required,
                double fallback = 0);
  bool boolean(std::string_view key, Presence presence = Presence::required, bool fallback = false);
  // The member if present and of the given kind (array or object), else nullptr (and a problem
  // when required or of the wrong kind).
  const nlohmann::json* array(std::string_view key, std::size_t max_size,
                              Presence presence = Presence::required);
  const nlohmann::json* object(std::string_view key, Presence presence = Presence::required);

  void problem(std::string_view key, std::string_view what);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::string path(std::string_view key) const;

 private:
  const nlohmann::json* member(std::string_view key, Presence presence);

  const nlohmann::json& obj_;
  std::string where_;
  std::string error_;
};

}  // namespace numalab::agent
