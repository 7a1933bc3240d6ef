#pragma once
// Text from runs made safe for the files CI systems read. Guest and console text can hold any
// byte: invalid UTF-8, NUL, terminal escapes. JSON needs valid UTF-8 (and KCIDB v5 forbids NUL);
// XML 1.0 allows neither NUL nor most control characters, not even as character references.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "result/verdict.hpp"

namespace numalab::report {

// s with each byte that does not start or continue a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) and each NUL replaced by U+FFFD, cut to at
// most max_bytes without splitting a character.
std::string valid_utf8(std::string_view s, std::size_t max_bytes = std::string_view::npos);

// Escaped for XML 1.0 character data (attribute = false) or a double-quoted attribute value
// (attribute = true, where tab, newline and carriage return become references so that attribute
// normalisation keeps them). Invalid UTF-8 becomes U+FFFD; characters XML 1.0 does not allow
// (C0 controls but tab, newline and carriage return; U+FFFE, U+FFFF) become the visible text
// "\xNN" or "\uFFFE", so a reader still sees that they were there.
std::string xml_escape(std::string_view s, bool attribute = false);

// A number for people: up to 4 significant digits ("1.125", "0.0042", "1.2e+06"); "-" for nullopt
// and non-finite values.
std::string readable(std::optional<double> v);

// The first line of s, cut to at most max_bytes (with "..." when cut), for one-line messages.
std::string first_line(std::string_view s, std::size_t max_bytes = 200);

// A name as one part of a dotted path (a JUnit classname, a KCIDB test path): every byte outside
// [A-Za-z0-9_-] becomes '_' ("numa02#2" -> "numa02_2"); "" becomes "_".
std::string path_part(std::string_view s);

// True for the workloads a run never started because an earlier one broke the boot: verdict error
// with the detail "not run: WHY" (run/step_book.cpp).
bool not_run(result::Verdict verdict, std::string_view detail);

// True for an RFC 3339 date and time with its zone ("2026-11-22T07:04:05Z", as numalab writes
// them): what both JUnit's xs:dateTime and KCIDB's "date-time" accept. A report re-read from an
// old store might hold something else, which is then left out rather than written invalid.
bool rfc3339_date_time(const std::string& s);

}  // namespace numalab::report
