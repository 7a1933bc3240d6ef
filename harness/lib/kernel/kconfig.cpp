#include "kernel/kconfig.hpp"

#include "util/sha256.hpp"

namespace numalab::kernel {

KconfigValue KconfigSettings::value_of(std::string_view name) const {
  auto found = options.find(name);
  return found == options.end() ? KconfigValue::not_set() : found->second.value;
}

void KconfigSettings::set(std::string name, KconfigValue value, std::string where) {
  options.insert_or_assign(std::move(name), KconfigSetting{std::move(value), std::move(where)});
}

std::string kconfig_line(std::string_view name, const KconfigValue& value) {
  std::string n(name);
  return value.is_set() ? "CONFIG_" + n + "=" + value.text : "# CONFIG_" + n + " is not set";
}

std::string kconfig_text(const KconfigSettings& settings) {
  std::string text;
  for (const auto& [name, setting] : settings.options) text += kconfig_line(name, setting.value) + "\n";
  return text;
}

std::string resolved_config_hash(const KconfigSettings& settings) {
  util::Sha256 hash;
  for (const auto& [name, setting] : settings.options)
    if (setting.value.is_set()) hash.update(kconfig_line(name, setting.value) + "\n");
  return hash.hex_digest();
}

MergedKconfig merge_kconfig(const std::vector<KconfigSettings>& fragments) {
  MergedKconfig merged;
  for (const auto& fragment : fragments) {
    for (const auto& [name, setting] : fragment.options) {
      auto [at, inserted] = merged.settings.options.try_emplace(name, setting);
      if (inserted) continue;
      if (at->second.value != setting.value) merged.overrides.push_back({name, at->second, setting});
      at->second = setting;
    }
  }
  return merged;
}

std::string describe(const KconfigOverride& o) {
  auto quoted = [&](const KconfigValue& v) {
    return v.is_set() ? kconfig_line(o.name, v) : "'" + kconfig_line(o.name, v) + "'";
  };
  std::string text;
  if (!o.later.where.empty()) text = o.later.where + ": ";
  text += quoted(o.later.value) + " overrides " + quoted(o.earlier.value);
  if (!o.earlier.where.empty()) text += " from " + o.earlier.where;
  return text;
}

}  // namespace numalab::kernel
