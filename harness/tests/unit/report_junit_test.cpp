// The JUnit file of a comparison as a CI system reads it: checked against harness/report/junit.xsd
// with xmllint, and queried with XPath (xmllint --xpath) for what a CI user would see: which
// kernel's which workload failed, why, and whether the counts add up.
#include <gtest/gtest.h>

#include "report/junit_xml.hpp"
#include "report_test_support.hpp"

namespace numalab::report {
namespace {

using namespace test_support;

class JunitXml : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create("numalab-junit-");
    ASSERT_TRUE(d) << d.error().message;
    dir_.emplace(std::move(*d));
    report_ = sample_report();
    xml_ = junit_xml(report_);
    file_ = dir_->path() / "junit.xml";
    write_file(file_, xml_);
  }

  // The value of an XPath expression over the file, as xmllint prints it (one trailing newline cut).
  std::string xpath(const std::string& expr, const std::filesystem::path& file) {
    auto out = run_tool({"xmllint", "--xpath", expr, file.string()});
    EXPECT_EQ(out.exit_code, 0) << expr << ": " << out.output;
    if (out.output.ends_with('\n')) out.output.pop_back();
    return out.output;
  }
  std::string xpath(const std::string& expr) { return xpath(expr, file_); }

  static std::string suite(const std::string& kernel) {
    return "/testsuites/testsuite[@name='" + kernel + "']";
  }
  static std::string tcase(const std::string& kernel, const std::string& workload) {
    return suite(kernel) + "/testcase[@name='" + workload + "']";
  }

  std::optional<util::ScopedTempDir> dir_;
  CompareReport report_;
  std::string xml_;
  std::filesystem::path file_;
};

TEST_F(JunitXml, TheComparisonHasTheRegressionTheTestsRelyOn) {
  const auto* m = find_metric(report_, 0, "numa02", "system_s");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->significant) << "p = " << m->p_value.value_or(-1);
  EXPECT_EQ(m->change, compare::Change::regression);
  for (const auto& c : report_.comparisons[1].metrics) EXPECT_FALSE(c.significant) << "A/A: " << c.key.name;
}

TEST_F(JunitXml, ValidatesAgainstItsSchema) {
  const auto check = xmllint_schema(file_);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << xml_;
}

TEST_F(JunitXml, OneSuitePerKernelAndOneCasePerWorkload) {
  EXPECT_EQ(xpath("count(/testsuites/testsuite)"), "3");
  EXPECT_EQ(xpath("string(/testsuites/testsuite[1]/@name)"), "baseline");
  EXPECT_EQ(xpath("string(/testsuites/testsuite[2]/@name)"), "numab-v3");
  EXPECT_EQ(xpath("string(/testsuites/testsuite[3]/@name)"), "baseline#2")
      << "the A/A copy has a name of its own";
  for (const char* kernel : {"baseline", "numab-v3", "baseline#2"}) {
    EXPECT_EQ(xpath("count(" + suite(kernel) + "/testcase)"), "3") << kernel;
    for (const char* workload : {"numa02", "numa01/hard-bind", "cpuset-rebind"})
      EXPECT_EQ(xpath("count(" + tcase(kernel, workload) + ")"), "1") << kernel << " " << workload;
  }
  EXPECT_EQ(xpath("string(" + tcase("numab-v3", "numa02") + "/@classname)"), "numalab.numa2.numab-v3");
  EXPECT_EQ(xpath("string(" + tcase("baseline#2", "numa02") + "/@classname)"), "numalab.numa2.baseline_2");
  EXPECT_EQ(xpath("string(" + tcase("baseline", "numa02") + "/@time)"), "2.500") << "the mean elapsed time";
  EXPECT_EQ(xpath("string(" + suite("numab-v3") + "/@timestamp)"), "2026-11-22T14:12:00Z");
  const std::string props = suite("numab-v3") + "/properties/property";
  EXPECT_EQ(xpath("string(" + props + "[@name='series_hash']/@value)"), k_series_hash);
  EXPECT_EQ(xpath("string(" + props + "[@name='series']/@value)"), "patches/numab-v3");
  EXPECT_EQ(xpath("string(" + props + "[@name='cache_key']/@value)"), "0123456789abcdef01234567");
  EXPECT_EQ(xpath("string(" + props + "[@name='kernel_release']/@value)"), "6.1.0-numalab+");
  EXPECT_EQ(xpath("string(" + props + "[@name='baseline']/@value)"), "baseline");
  EXPECT_EQ(xpath("string(" + props + "[@name='compare_id']/@value)"), "c0007");
  EXPECT_EQ(xpath("string(" + props + "[@name='lab']/@value)"), "numa2");
}

TEST_F(JunitXml, CountsAreConsistent) {
  EXPECT_EQ(xpath("string(/testsuites/@tests)"), "9");
  EXPECT_EQ(xpath("string(/testsuites/@failures)"), "3");
  EXPECT_EQ(xpath("string(/testsuites/@errors)"), "1");
  EXPECT_EQ(xpath("string(/testsuites/@skipped)"), "0");
  for (const char* kernel : {"baseline", "numab-v3", "baseline#2"}) {
    const std::string s = suite(kernel);
    EXPECT_EQ(xpath("string(" + s + "/@tests)"), xpath("count(" + s + "/testcase)")) << kernel;
    EXPECT_EQ(xpath("string(" + s + "/@failures)"), xpath("count(" + s + "/testcase[failure])")) << kernel;
    EXPECT_EQ(xpath("string(" + s + "/@errors)"), xpath("count(" + s + "/testcase[error])")) << kernel;
    EXPECT_EQ(xpath("string(" + s + "/@skipped)"), xpath("count(" + s + "/testcase[skipped])")) << kernel;
    EXPECT_EQ(xpath("number(" + s + "/@time) = sum(" + s + "/testcase/@time)"), "true") << kernel;
  }
  for (const char* what : {"tests", "failures", "errors", "skipped", "time"})
    EXPECT_EQ(
        xpath(std::string("number(/testsuites/@") + what + ") = sum(/testsuites/testsuite/@" + what + ")"),
        "true")
        << what;
}

TEST_F(JunitXml, ARegressionFailsTheWorkloadOfTheOtherKernelOnly) {
  const std::string c = tcase("numab-v3", "numa02");
  EXPECT_EQ(xpath("string(" + c + "/failure/@type)"), "regression");
  const auto message = xpath("string(" + c + "/failure/@message)");
  EXPECT_NE(message.find("significant regression: system_s -50."), std::string::npos) << message;
  const auto body = xpath("string(" + c + "/failure)");
  for (const char* part : {"system_s [s, lower is better]", "baseline mean 1.001 s", "numab-v3 mean 1.502 s",
                           "change -50.", "ratio 1.5 [", "(welch)", "Benjamini-Hochberg at q = 0.05"})
    EXPECT_NE(body.find(part), std::string::npos) << part << " in\n" << body;
  // The metrics of the case are listed in system-out, with the comparison.
  const auto out = xpath("string(" + c + "/system-out)");
  EXPECT_NE(out.find("locality_pct: mean 82 % (sd 1.414, n 2); baseline 81 %"), std::string::npos) << out;
  EXPECT_NE(out.find("thp_fault_alloc: absent"), std::string::npos) << out;
  EXPECT_NE(out.find("system_s: mean 1.502 s"), std::string::npos) << out;
  // The baseline's case has nothing to regress against; the A/A copy has no regression.
  EXPECT_EQ(xpath("count(" + tcase("baseline", "numa02") + "/failure)"), "0");
  EXPECT_EQ(xpath("count(" + tcase("baseline#2", "numa02") + "/failure)"), "0");
  EXPECT_EQ(xpath("count(" + suite("baseline") + "/testcase[failure or error])"), "0");
}

TEST_F(JunitXml, FunctionalFailuresSayWhichRepetitionAndRun) {
  const std::string fail = tcase("numab-v3", "cpuset-rebind");
  EXPECT_EQ(xpath("string(" + fail + "/failure/@type)"), "fail");
  const auto message = xpath("string(" + fail + "/failure/@message)");
  EXPECT_TRUE(message.starts_with("fail in repetition 2 (run 0005): expected mems 0-1")) << message;
  const auto body = xpath("string(" + fail + "/failure)");
  EXPECT_NE(body.find("repetition 2, run 0005, machine guest: fail"), std::string::npos) << body;
  EXPECT_NE(body.find("    second line"), std::string::npos) << body;

  const std::string hang = tcase("baseline#2", "numa01/hard-bind");
  EXPECT_EQ(xpath("string(" + hang + "/failure/@type)"), "hang") << "a hang is the kernel's failure";
  EXPECT_NE(
      xpath("string(" + hang + "/failure/@message)").find("hang in repetition 1 (run 0003): no heartbeat"),
      std::string::npos);

  // Not run because of the hang: the workload could not run, the kernel's behaviour is unknown.
  const std::string not_run = tcase("baseline#2", "cpuset-rebind");
  EXPECT_EQ(xpath("count(" + not_run + "/failure)"), "0");
  EXPECT_EQ(xpath("string(" + not_run + "/error/@type)"), "error");
  EXPECT_NE(xpath("string(" + not_run + "/error/@message)").find("not run: no heartbeat"), std::string::npos);
}

TEST_F(JunitXml, GuestTextIsEscapedAndWhatXmlCannotHoldIsReplacedVisibly) {
  const auto body = xpath("string(" + tcase("numab-v3", "cpuset-rebind") + "/failure)");
  EXPECT_NE(body.find("got <none> & \"2\" ]]> \\x01\\x1b[31mred\xEF\xBF\xBD\xEF\xBF\xBD(\\x00tail"),
            std::string::npos)
      << body;
  const auto message = xpath("string(" + tcase("numab-v3", "cpuset-rebind") + "/failure/@message)");
  EXPECT_NE(message.find("<none> & \"2\" ]]>"), std::string::npos) << message;
  for (unsigned char c : xml_)
    EXPECT_TRUE(c >= 0x20 || c == '\n') << "raw control byte " << static_cast<int>(c) << " in the file";
  EXPECT_EQ(xml_.find("]]>"), std::string::npos);
}

TEST_F(JunitXml, TheSchemaCheckRejectsWhatIsWrong) {
  auto wrong_type = xml_;
  const auto at = wrong_type.find("tests=\"9\"");
  ASSERT_NE(at, std::string::npos);
  wrong_type.replace(at, 9, "tests=\"nine\"");
  write_file(dir_->path() / "wrong-type.xml", wrong_type);
  auto check = xmllint_schema(dir_->path() / "wrong-type.xml");
  EXPECT_NE(check.exit_code, 0) << "a count that is not a number must fail";
  EXPECT_NE(check.output.find("fails to validate"), std::string::npos) << check.output;

  auto two_outcomes = xml_;
  const auto failure = two_outcomes.find("<failure ");
  ASSERT_NE(failure, std::string::npos);
  two_outcomes.insert(failure, "<error message=\"x\" type=\"y\"/>");
  write_file(dir_->path() / "two-outcomes.xml", two_outcomes);
  check = xmllint_schema(dir_->path() / "two-outcomes.xml");
  EXPECT_NE(check.exit_code, 0) << "a case with both an error and a failure must fail";
  EXPECT_NE(check.output.find("fails to validate"), std::string::npos) << check.output;
}

TEST_F(JunitXml, AnInterruptedCompareSkipsAndABrokenRunGetsACaseOfItsOwn) {
  CompareReport r = report_;
  for (std::size_t i : {1, 4, 5}) r.runs[i].result.reset();  // planned, never finished: numab-v3's both
  r.runs[3].result->workloads.clear();  // baseline's second boot broke before any workload
  r.runs[3].result->verdict = Verdict::error;
  r.runs[3].result->reason = "QEMU exited (exit 1) before the agent finished";
  compute_statistics(r);
  const auto file = dir_->path() / "interrupted.xml";
  write_file(file, junit_xml(r));
  const auto check = xmllint_schema(file);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(xpath("string(" + suite("numab-v3") + "/@skipped)", file), "3");
  EXPECT_EQ(xpath("count(" + suite("numab-v3") + "/testcase/skipped)", file), "3");
  const std::string run = tcase("baseline", "(run)");
  EXPECT_EQ(xpath("string(" + run + "/error/@type)", file), "error");
  EXPECT_NE(xpath("string(" + run + "/error/@message)", file).find("QEMU exited"), std::string::npos);
  EXPECT_EQ(xpath("string(" + suite("baseline") + "/@tests)", file), "4");
}

}  // namespace
}  // namespace numalab::report
