#include "report/junit_xml.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "report/junit_cases.hpp"
#include "report/report_text.hpp"

namespace numalab::report {

namespace {

struct Counts {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  std::int64_t time_ms = 0;  // whole milliseconds, so that the sums are exactly the sums of what is written

  void add(const Counts& o) {
    tests += o.tests, failures += o.failures, errors += o.errors, skipped += o.skipped;
    time_ms += o.time_ms;
  }
};

std::int64_t milliseconds(double s) {
  return std::isfinite(s) && s > 0 && s < 1e12 ? std::llround(s * 1000) : 0;
}

std::string seconds(std::int64_t ms) { return fmt::format("{}.{:03}", ms / 1000, ms % 1000); }

Counts count(const JunitSuite& s) {
  Counts c;
  for (const auto& t : s.cases) {
    ++c.tests;
    c.failures += t.outcome == CaseOutcome::failure;
    c.errors += t.outcome == CaseOutcome::error;
    c.skipped += t.outcome == CaseOutcome::skipped;
    c.time_ms += milliseconds(t.time_s);
  }
  return c;
}

std::string attr(std::string_view s) { return xml_escape(s, true); }

std::string counts_attrs(const Counts& c) {
  return fmt::format(R"(tests="{}" failures="{}" errors="{}" skipped="{}" time="{}")", c.tests, c.failures,
                     c.errors, c.skipped, seconds(c.time_ms));
}

void write_case(std::string& out, const JunitCase& t, const std::string& classname) {
  out += fmt::format(R"(    <testcase name="{}" classname="{}" time="{}")", attr(t.name), attr(classname),
                     seconds(milliseconds(t.time_s)));
  if (t.outcome == CaseOutcome::passed && t.out.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  switch (t.outcome) {
    case CaseOutcome::failure:
    case CaseOutcome::error: {
      const char* element = t.outcome == CaseOutcome::failure ? "failure" : "error";
      out += fmt::format(R"(      <{} message="{}" type="{}">)", element, attr(t.message), attr(t.type));
      out += xml_escape(t.body) + fmt::format("</{}>\n", element);
      break;
    }
    case CaseOutcome::skipped:
      out += fmt::format("      <skipped message=\"{}\"/>\n", attr(t.message));
      break;
    case CaseOutcome::passed:
      break;
  }
  if (!t.out.empty()) out += "      <system-out>" + xml_escape(t.out) + "</system-out>\n";
  out += "    </testcase>\n";
}

}  // namespace

std::string junit_xml(const CompareReport& r) {
  const auto suites = junit_suites(r);
  Counts total;
  std::string body;
  for (const auto& s : suites) {
    const Counts c = count(s);
    total.add(c);
    body += fmt::format(R"(  <testsuite name="{}" {})", attr(s.name), counts_attrs(c));
    if (rfc3339_date_time(r.started_at)) body += fmt::format(R"( timestamp="{}")", r.started_at);
    body += ">\n    <properties>\n";
    for (const auto& [name, value] : s.properties)
      body += fmt::format(R"(      <property name="{}" value="{}"/>)", attr(name), attr(value)) + "\n";
    body += "    </properties>\n";
    for (const auto& t : s.cases) write_case(body, t, s.classname);
    body += "  </testsuite>\n";
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(R"(<testsuites name="{}" {}>)",
                     attr("numalab compare " + r.compare_id + " of lab " + r.lab), counts_attrs(total));
  out += "\n" + body + "</testsuites>\n";
  return out;
}

}  // namespace numalab::report
