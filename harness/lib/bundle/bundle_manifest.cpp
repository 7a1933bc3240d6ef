#include "bundle/bundle_manifest.hpp"

#include <nlohmann/json.hpp>

namespace numalab::bundle {

namespace {

BundledKernel kernel_from(const nlohmann::json& j) {
  BundledKernel k;
  k.name = j.value("name", "");
  k.release = j.value("release", "");
  k.sha256 = j.value("sha256", "");
  k.path = j.value("path", "");
  k.cache_key = j.value("cache_key", "");
  k.base = j.value("base", "");
  k.series = j.value("series", "");
  k.series_hash = j.value("series_hash", "");
  if (auto c = j.find("config"); c != j.end() && c->is_array())
    for (const auto& f : *c)
      if (f.is_string()) k.config.push_back(f.get<std::string>());
  k.image = j.value("image", "");
  return k;
}

}  // namespace

nlohmann::json to_json(const BundledKernel& k) {
  return {{"name", k.name},     {"release", k.release},         {"sha256", k.sha256},
          {"path", k.path},     {"cache_key", k.cache_key},     {"base", k.base},
          {"series", k.series}, {"series_hash", k.series_hash}, {"config", k.config},
          {"image", k.image}};
}

const BundledMachine* BundleManifest::find_machine(const std::string& name) const {
  for (const auto& m : machines)
    if (m.name == name) return &m;
  return nullptr;
}

nlohmann::json to_json(const BundleManifest& m) {
  nlohmann::json machines = nlohmann::json::array();
  for (const auto& machine : m.machines)
    machines.push_back({{"name", machine.name}, {"kernel", to_json(machine.kernel)}});
  nlohmann::json series = nlohmann::json::array();
  for (const auto& s : m.series)
    series.push_back({{"kernel", s.kernel}, {"entry", s.entry}, {"matches_build", s.matches_build}});
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : m.files) files.push_back({{"name", f.name}, {"bytes", f.bytes}});
  return {{"format", "numalab-bundle"},
          {"format_version", m.format_version},
          {"numalab_version", m.numalab_version},
          {"run_id", m.run_id},
          {"lab", m.lab},
          {"lab_file", m.lab_file},
          {"verdict", m.verdict},
          {"reason", m.reason},
          {"started_at", m.started_at},
          {"duration_s", m.duration_s},
          {"created_at", m.created_at},
          {"with_dump", m.with_dump},
          {"with_kernel", m.with_kernel},
          {"machines", machines},
          {"series", series},
          {"files", files},
          {"notes", m.notes}};
}

util::Result<BundleManifest> manifest_from_json(const nlohmann::json& j) {
  using util::ErrorKind;
  if (!j.is_object() || j.value("format", "") != "numalab-bundle" || !j.contains("format_version") ||
      !j["format_version"].is_number_integer())
    return util::fail(ErrorKind::bad_input, "bundle.json is not a numalab bundle manifest");
  BundleManifest m;
  m.format_version = j["format_version"].get<int>();
  if (m.format_version < 1 || m.format_version > k_bundle_format_version)
    return util::fail(ErrorKind::bad_input, "the bundle has format " + std::to_string(m.format_version) +
                                                "; this numalab reads formats 1 to " +
                                                std::to_string(k_bundle_format_version) +
                                                " (a newer numalab made it)");
  try {
    m.numalab_version = j.value("numalab_version", "");
    m.run_id = j.value("run_id", "");
    m.lab = j.value("lab", "");
    m.lab_file = j.value("lab_file", "");
    m.verdict = j.value("verdict", "");
    m.reason = j.value("reason", "");
    m.started_at = j.value("started_at", "");
    m.duration_s = j.value("duration_s", 0.0);
    m.created_at = j.value("created_at", "");
    m.with_dump = j.value("with_dump", false);
    m.with_kernel = j.value("with_kernel", false);
    for (const auto& machine : j.value("machines", nlohmann::json::array()))
      m.machines.push_back(
          {machine.value("name", ""), kernel_from(machine.value("kernel", nlohmann::json::object()))});
    for (const auto& s : j.value("series", nlohmann::json::array()))
      m.series.push_back({s.value("kernel", ""), s.value("entry", ""), s.value("matches_build", false)});
    for (const auto& f : j.value("files", nlohmann::json::array()))
      m.files.push_back({f.value("name", ""), f.value("bytes", std::uint64_t{0})});
    m.notes = j.value("notes", std::vector<std::string>{});
  } catch (const nlohmann::json::exception& e) {
    return util::fail(ErrorKind::bad_input, std::string("bundle.json: ") + e.what());
  }
  return m;
}

}  // namespace numalab::bundle
