#include "kernel/build_record.hpp"

#include <nlohmann/json.hpp>

#include "util/file_contents.hpp"

namespace numalab::kernel {

namespace {

constexpr const char* k_record_file = "meta.json";

std::string text(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <class Number>
Number number(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<Number>() : Number{};
}

std::vector<std::string> texts(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (const auto it = j.find(key); it != j.end() && it->is_array())
    for (const auto& item : *it)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace

util::Result<BuildRecord> read_build_record(const std::filesystem::path& build_dir) {
  const auto file = build_dir / k_record_file;
  auto bytes = util::read_file(file);
  if (!bytes) return std::unexpected(bytes.error());
  const auto j = nlohmann::json::parse(*bytes, nullptr, false);
  if (!j.is_object())
    return util::fail(util::ErrorKind::cannot_run, file.string() + " is not a kernel build record");
  BuildRecord r;
  r.name = text(j, "name");
  r.key = text(j, "key");
  r.base = text(j, "base");
  r.series = text(j, "series");
  r.series_hash = text(j, "series_hash");
  r.patches = number<std::uint64_t>(j, "patches");
  r.config = texts(j, "config");
  r.config_hash = text(j, "config_hash");
  r.compiler = text(j, "compiler");
  r.built_at = text(j, "built_at");
  r.build_seconds = number<double>(j, "build_seconds");
  return r;
}

util::Result<void> write_build_record(const std::filesystem::path& build_dir, const BuildRecord& r) {
  const nlohmann::json j{{"name", r.name},
                         {"key", r.key},
                         {"base", r.base},
                         {"series", r.series},
                         {"series_hash", r.series_hash},
                         {"patches", r.patches},
                         {"config", r.config},
                         {"config_hash", r.config_hash},
                         {"compiler", r.compiler},
                         {"built_at", r.built_at},
                         {"build_seconds", r.build_seconds}};
  return util::write_file(build_dir / k_record_file, j.dump(1) + "\n");
}

}  // namespace numalab::kernel
