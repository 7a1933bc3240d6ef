// The mbox form of a patch series: from the messages of an mbox to the patches that apply, in order.

#include <algorithm>
#include <map>

#include "kernel/patch_mbox.hpp"
#include "kernel/patch_series.hpp"

namespace numalab::kernel {

using util::ErrorKind;
using util::fail;

namespace {

std::string at(const std::filesystem::path& mbox, int line) {
  return mbox.string() + ":" + std::to_string(line) + ": ";
}

// All messages numbered [PATCH n/m] with one m and each n of 1..m once, or none numbered.
util::Result<void> check_numbers(const std::vector<MboxMessage>& messages,
                                 const std::filesystem::path& mbox) {
  const auto numbered =
      std::count_if(messages.begin(), messages.end(), [](auto& m) { return m.number.has_value(); });
  if (numbered == 0) return {};
  std::map<int, int> line_of;  // n -> line
  for (const auto& m : messages) {
    if (!m.number)
      return fail(ErrorKind::bad_input, at(mbox, m.line) + "'" + m.subject +
                                            "' has no [PATCH n/m] number but other messages do: "
                                            "is this mbox two series?");
    if (m.total != messages.front().total)
      return fail(ErrorKind::bad_input, at(mbox, m.line) + "'" + m.subject + "' is one of " +
                                            std::to_string(*m.total) + " patches, the first message one of " +
                                            std::to_string(*messages.front().total) +
                                            ": is this mbox two series?");
    if (auto [it, fresh] = line_of.emplace(*m.number, m.line); !fresh)
      return fail(ErrorKind::bad_input, at(mbox, m.line) + "patch " + std::to_string(*m.number) + "/" +
                                            std::to_string(*m.total) + " is there twice (also on line " +
                                            std::to_string(it->second) + "): keep one version");
  }
  for (int n = 1; n <= *messages.front().total; ++n)
    if (!line_of.contains(n))
      return fail(ErrorKind::bad_input, mbox.string() + ": patch " + std::to_string(n) + "/" +
                                            std::to_string(*messages.front().total) +
                                            " is missing from the mbox");
  if (line_of.size() != static_cast<std::size_t>(*messages.front().total))
    return fail(ErrorKind::bad_input, mbox.string() + ": a patch is numbered beyond " +
                                          std::to_string(*messages.front().total) + "/" +
                                          std::to_string(*messages.front().total));
  return {};
}

}  // namespace

util::Result<std::vector<Patch>> patches_from_mbox(std::string_view text, const std::filesystem::path& mbox) {
  std::vector<MboxMessage> messages;
  for (auto& m : split_mbox(text))
    if (!m.reply && m.number != 0) messages.push_back(std::move(m));  // reviews, cover letter
  if (messages.empty())
    return fail(ErrorKind::bad_input, mbox.string() +
                                          ": no patches in it (only a cover letter and replies, "
                                          "or nothing at all)");
  for (const auto& m : messages)
    if (!has_diff(m.text))
      return fail(
          ErrorKind::bad_input,
          at(mbox, m.line) + (m.subject.empty() ? "the message" : "'" + m.subject + "'") +
              " has no diff in it: is it a patch? (numalab reads plain-text mail, not MIME attachments)");
  if (auto ok = check_numbers(messages, mbox); !ok) return std::unexpected(ok.error());
  std::stable_sort(messages.begin(), messages.end(),
                   [](auto& a, auto& b) { return a.number.value_or(0) < b.number.value_or(0); });
  std::vector<Patch> patches;
  for (auto& m : messages) {
    const int position = static_cast<int>(patches.size()) + 1;
    std::string name = m.subject.empty() && messages.size() == 1 ? mbox.filename().string()
                                                                 : format_patch_name(position, m.subject);
    patches.push_back(Patch{std::move(name), mbox, m.line, position, 1, std::move(m.text)});
  }
  return patches;
}

}  // namespace numalab::kernel
