#include "report/kcidb_json.hpp"

#include <regex>

#include "report/kcidb_context.hpp"
#include "report/report_kernels.hpp"
#include "report/report_text.hpp"

namespace numalab::report {

namespace {

bool matches(const std::string& s, const char* pattern) { return std::regex_match(s, std::regex(pattern)); }

// "git 1f2e..." -> the commit, when it is a full SHA-1 (KCIDB v4's git_commit_hash); else "".
std::string git_commit(const std::string& base) {
  if (!base.starts_with("git ")) return "";
  const std::string sha = base.substr(4);
  return matches(sha, "[0-9a-f]{40}") ? sha : "";
}

std::string joined(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

std::vector<std::string> texts(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(kcidb_text(s));
  return out;
}

nlohmann::json checkout(const KcidbContext& c, std::size_t k) {
  const auto& kernel = c.report.kernels[k];
  nlohmann::json j{{"id", c.kernel_id(k)}, {"origin", c.origin}};
  if (kernel.base.starts_with("debian ")) j["tree_name"] = "debian";
  if (const auto sha = git_commit(kernel.base); !sha.empty()) j["git_commit_hash"] = sha;
  // KCIDB's own patchset hash is a SHA-256 over each patch's SHA-256; numalab's series hash is a
  // SHA-256 over every patch's position, name, strip level and bytes (kernel/patch_series.hpp).
  // Both identify the series' content; the kind is said in misc.series_hash_kind.
  if (matches(kernel.series_hash, "[0-9a-f]{64}"))
    j["patchset_hash"] = kernel.series_hash;
  else if (kernel.series.empty() && !kernel.base.empty())
    j["patchset_hash"] = "";  // built from its base with no patches
  std::string comment = "kernel " + c.labels[k];
  if (!kernel.base.empty()) comment += ": " + kernel.base;
  if (!kernel.series.empty()) comment += " with " + kernel.series;
  j["comment"] = kcidb_text(comment);
  if (rfc3339_date_time(c.report.started_at))
    j["start_time"] = c.report.started_at;           // the compare's start: when it resolved the kernel
  if (!kernel.cache_key.empty()) j["valid"] = true;  // numalab applied the series and built it
  j["misc"] = {{"kernel", kcidb_text(kernel.name)},
               {"label", kcidb_text(c.labels[k])},
               {"base", kcidb_text(kernel.base)},
               {"series", kcidb_text(kernel.series)},
               {"series_hash", kcidb_text(kernel.series_hash)},
               {"series_hash_kind", "numalab"},
               {"config", texts(kernel.config)},
               {"cache_key", kcidb_text(kernel.cache_key)}};
  return j;
}

nlohmann::json build(const KcidbContext& c, std::size_t k, const nlohmann::json& checkout) {
  const auto& kernel = c.report.kernels[k];
  nlohmann::json j{{"id", c.kernel_id(k)},
                   {"checkout_id", c.kernel_id(k)},
                   {"origin", c.origin},
                   {"architecture", "x86_64"}};
  if (!kernel.config.empty()) j["config_name"] = kcidb_text(joined(kernel.config, "+"));
  j["comment"] =
      kcidb_text("kernel " + c.labels[k] + (kernel.release.empty() ? "" : " (" + kernel.release + ")"));
  if (checkout.contains("start_time")) j["start_time"] = checkout["start_time"];
  if (!kernel.sha256.empty()) j["valid"] = true;  // an image was booted
  j["misc"] = {{"kernel", kcidb_text(kernel.name)},
               {"label", kcidb_text(c.labels[k])},
               {"release", kcidb_text(kernel.release)},
               {"sha256", kcidb_text(kernel.sha256)},
               {"cache_key", kcidb_text(kernel.cache_key)}};
  return j;
}

std::string origin_name(const std::string& origin) {
  std::string out;
  for (char ch : origin) {
    const auto c = static_cast<unsigned char>(ch);
    out += (c >= 'A' && c <= 'Z')                                           ? static_cast<char>(c - 'A' + 'a')
           : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') ? ch
                                                                            : '_';
  }
  return out.empty() ? "numalab" : out;
}

}  // namespace

std::string id_part(std::string_view s) {
  std::string out;
  for (char c : kcidb_text(s)) {
    if (c == '%')
      out += "%25";
    else if (c == ':')
      out += "%3A";
    else
      out += c;
  }
  return out;
}

std::string kcidb_text(std::string_view s, std::size_t max_bytes) { return valid_utf8(s, max_bytes); }

std::string KcidbContext::kernel_id(std::size_t kernel) const {
  return origin + ":" + id_part(report.compare_id) + ":" + id_part(labels[kernel]);
}

KcidbContext make_kcidb_context(const CompareReport& report, const std::string& origin) {
  return {report, origin_name(origin), kernel_labels(report)};
}

nlohmann::json kcidb_json(const CompareReport& report, const std::string& origin) {
  const auto context = make_kcidb_context(report, origin);
  auto checkouts = nlohmann::json::array();
  auto builds = nlohmann::json::array();
  for (std::size_t k = 0; k < report.kernels.size(); ++k) {
    checkouts.push_back(checkout(context, k));
    builds.push_back(build(context, k, checkouts.back()));
  }
  return {{"version", {{"major", k_kcidb_major}, {"minor", k_kcidb_minor}}},
          {"checkouts", std::move(checkouts)},
          {"builds", std::move(builds)},
          {"tests", kcidb_tests(context)}};
}

}  // namespace numalab::report
