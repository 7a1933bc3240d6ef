#pragma once
// A posted patch series as an mbox: `git format-patch --stdout` output, format-patch files put
// together with `cat`, or a mailing-list archive (lore's t.mbox). Each message is one patch, kept
// whole (From line, headers, body with the diff): GNU patch skips the mail text before the diff.
// Not handled: MIME multipart or quoted-printable bodies and encoded (=?UTF-8?...) subjects.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace numalab::kernel {

struct MboxMessage {
  int line = 1;               // of the mbox, 1-based, where the message starts (its From line)
  std::string subject;        // unfolded; "" when there is none
  std::optional<int> number;  // n of "[PATCH v3 n/m]"
  std::optional<int> total;   // m
  bool reply = false;         // "Re: [PATCH ...]": a review, not part of the series
  std::string text;           // the whole message, from its From line up to the next one
};

// Splits at "From " lines that separate messages: git's "From <40 hex> Mon Sep 17 00:00:00 2001"
// anywhere, and "From <sender> <asctime date>" where a message may start (the first line or after
// a blank line), so a body line such as "From v2: ..." stays in its message. Text that does not
// start with a From line is one message (a plain diff).
std::vector<MboxMessage> split_mbox(std::string_view text);

// Whether the text holds a unified diff (a "--- " line followed by a "+++ " line, or "diff --git").
bool has_diff(std::string_view text);

// The name `git format-patch` gives patch `number` with this subject ("[PATCH v3 2/5] mm: foo"
// -> "0002-mm-foo.patch").
std::string format_patch_name(int number, std::string_view subject);

}  // namespace numalab::kernel
