// dependency_hint: a dropped option's dependencies and selectors, as a clause for its message.
#include "kernel/kconfig_depends.hpp"

#include <algorithm>
#include <cctype>

namespace numalab::kernel {

namespace {

constexpr std::size_t k_max_names_shown = 6;

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

std::string name_list(const std::vector<std::string>& names) {
  std::string text;
  const std::size_t shown = std::min(names.size(), k_max_names_shown);
  for (std::size_t i = 0; i < shown; ++i) text += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text;
}

// "(A || B)" is, "(A) || (B)" is not.
bool fully_parenthesized(std::string_view c) {
  if (!c.starts_with('(') || !c.ends_with(')')) return false;
  int depth = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    depth += c[i] == '(' ? 1 : c[i] == ')' ? -1 : 0;
    if (depth == 0 && i + 1 < c.size()) return false;
  }
  return true;
}

std::string conjunction(const std::vector<std::string>& conditions) {
  std::vector<std::string> unique;
  for (const auto& c : conditions) add_unique(unique, c);
  std::string text;
  for (const auto& c : unique) {
    if (!text.empty()) text += " && ";
    const bool wrap = unique.size() > 1 && c.find("||") != std::string::npos && !fully_parenthesized(c);
    text += wrap ? "(" + c + ")" : c;
  }
  return text;
}

// Each definition's conditions; definitions are alternatives, as kconfig treats them.
std::string dependencies(const KconfigSymbolInfo& info) {
  std::vector<std::string> alternatives;
  for (const auto& definition : info.depends_on)
    if (auto text = conjunction(definition); !text.empty()) add_unique(alternatives, std::move(text));
  if (alternatives.size() == 1) return alternatives.front();
  std::string text;
  for (const auto& a : alternatives) text += (text.empty() ? "(" : " || (") + a + ")";
  return text;
}

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") + 1 - first);
}

bool is_symbol_name(std::string_view s) {
  return !s.empty() && std::isdigit(static_cast<unsigned char>(s.front())) == 0 &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

// The options a dependency expression plainly needs that `resolved` does not have: its top-level
// `&&` terms that are a bare name. A hint, not an evaluation: terms with || or ! are left out.
std::vector<std::string> unset_in(std::string_view expression, const KconfigSettings& resolved) {
  std::vector<std::string> unset;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= expression.size(); ++i) {
    const bool end = i == expression.size();
    if (!end && (expression[i] == '(' || expression[i] == ')')) depth += expression[i] == '(' ? 1 : -1;
    if (!end && !(depth == 0 && expression.substr(i).starts_with("&&"))) continue;
    std::string_view term = trimmed(expression.substr(start, i - start));
    while (fully_parenthesized(term)) term = trimmed(term.substr(1, term.size() - 2));
    if (is_symbol_name(term) && !resolved.value_of(term).is_set()) add_unique(unset, std::string(term));
    start = i + 2;
  }
  return unset;
}

std::string why_unset(const KconfigSymbolInfo& info, const KconfigSettings& resolved) {
  std::string hint;
  if (auto deps = dependencies(info); !deps.empty()) {
    hint = "check its dependencies: depends on " + deps;
    if (auto unset = unset_in(deps, resolved); !unset.empty()) hint += "; not set: " + name_list(unset);
  }
  if (!info.has_prompt) {
    if (!hint.empty()) hint += "; ";
    hint += info.selected_by.empty()
                ? "it has no prompt, and nothing selects it"
                : "it has no prompt, so only a select sets it: selected by " + name_list(info.selected_by);
  }
  return hint;
}

std::string why_set(const KconfigSymbolInfo& info, const KconfigSettings& resolved) {
  std::vector<std::string> set_selectors;
  for (const auto& s : info.selected_by)
    if (resolved.value_of(s).is_set()) add_unique(set_selectors, s);
  if (!set_selectors.empty()) return "check what selects it: " + name_list(set_selectors);
  return info.selected_by.empty() ? "nothing selects it: its default turned it on"
                                  : "check what selects it: " + name_list(info.selected_by);
}

}  // namespace

std::string dependency_hint(const KconfigSymbols& symbols, const DroppedOption& dropped,
                            const KconfigSettings& resolved) {
  auto found = symbols.find(dropped.name);
  if (found == symbols.end() || found->second.depends_on.empty())
    return "there is no such option in this kernel's Kconfig files";
  return dropped.requested.value.is_set() ? why_unset(found->second, resolved)
                                          : why_set(found->second, resolved);
}

void add_dependency_hints(std::vector<DroppedOption>& dropped, const KconfigSymbols& symbols,
                          const KconfigSettings& resolved) {
  for (auto& d : dropped) d.hint = dependency_hint(symbols, d, resolved);
}

}  // namespace numalab::kernel
