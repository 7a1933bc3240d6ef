#pragma once
// Durations as lab files write them: digits (at most 12) and a unit, ms, s, m or h ("30s", "500ms",
// "2m", "1h"); no sign, no fraction, no spaces. Read the same by the lab parser on the host and by
// the guest agent. (A lab file may also give a whole number of seconds as an integer; that is its
// reader's business.)

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::model {

// "30s" -> 30 000 ms; nullopt when it does not parse.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest text parse_duration reads back as `d`: "2s", "30m", "1h", "1500ms".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace numalab::model
