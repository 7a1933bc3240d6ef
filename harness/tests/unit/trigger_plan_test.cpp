#include "workload/trigger/trigger_plan.hpp"

#include <gtest/gtest.h>

namespace numalab::workload {
namespace {

using nlohmann::json;

TEST(TriggerPlan, DeadlockIsSelfUnlessAbbaOrRwsemIsAsked) {
  auto self = trigger_plan(json{{"action", "deadlock"}});
  ASSERT_TRUE(self) << self.error();
  EXPECT_EQ(self->command(), "deadlock-self");
  EXPECT_EQ(self->effect, TriggerEffect::stuck);
  EXPECT_EQ(self->wait, k_default_trigger_wait);
  auto abba = trigger_plan(json{{"action", "deadlock"}, {"how", "abba"}, {"wait", "20s"}});
  ASSERT_TRUE(abba) << abba.error();
  EXPECT_EQ(abba->command(), "deadlock-abba");
  EXPECT_EQ(abba->wait, std::chrono::seconds(20));
  EXPECT_EQ(trigger_plan(json{{"action", "deadlock"}, {"how", "self"}})->command(), "deadlock-self");
  auto rwsem = trigger_plan(json{{"action", "deadlock"}, {"how", "rwsem"}});
  ASSERT_TRUE(rwsem) << rwsem.error();
  EXPECT_EQ(rwsem->command(), "deadlock-rwsem");
  EXPECT_EQ(rwsem->effect, TriggerEffect::stuck);
}

// A deadlock must be called a hang by the host's stall window before the agent gives up waiting
// and ends the workload with "fail": the default wait outlasts the window, with time to spare.
TEST(TriggerPlan, TheDefaultWaitOutlastsTheHostsStallWindow) {
  EXPECT_GE(k_default_trigger_wait, model::k_default_stall_window + std::chrono::seconds(20));
  EXPECT_EQ(k_default_trigger_wait, std::chrono::seconds(90));
  EXPECT_EQ(trigger_plan(json{{"action", "oops"}})->wait, k_default_trigger_wait);
  EXPECT_EQ(TriggerPlan{}.wait, k_default_trigger_wait);
}

TEST(TriggerPlan, DurationsGoToTheKernelInWholeSeconds) {
  auto soft = trigger_plan(json{{"action", "soft-lockup"}, {"duration", "1500ms"}});
  ASSERT_TRUE(soft) << soft.error();
  EXPECT_EQ(soft->command(), "soft-lockup 2");
  EXPECT_EQ(soft->duration_s(), 2u);
  auto wq = trigger_plan(json{{"action", "wq-lockup"}});
  ASSERT_TRUE(wq);
  EXPECT_EQ(wq->command(), "wq-lockup");  // the kernel's default
  EXPECT_EQ(wq->duration_s(), 40u);
  EXPECT_EQ(wq->effect, TriggerEffect::background);
  EXPECT_EQ(trigger_plan(json{{"action", "hung-task"}, {"duration", 25u}})->command(), "hung-task 25");
}

TEST(TriggerPlan, EffectsOfTheOtherActions) {
  EXPECT_EQ(trigger_plan(json{{"action", "panic"}})->effect, TriggerEffect::sysrq_panic);
  EXPECT_EQ(trigger_plan(json{{"action", "hang"}})->effect, TriggerEffect::silence);
  for (const char* a : {"oops", "bug", "gpf"}) {
    auto p = trigger_plan(json{{"action", a}});
    ASSERT_TRUE(p) << a;
    EXPECT_EQ(p->effect, TriggerEffect::killed) << a;
    EXPECT_EQ(p->command(), a);
  }
  for (const char* a :
       {"sleep-in-atomic", "bad-unlock", "held-lock-freed", "inconsistent", "irq-inversion"}) {
    auto p = trigger_plan(json{{"action", a}});
    ASSERT_TRUE(p) << a;
    EXPECT_EQ(p->effect, TriggerEffect::returns) << a;
  }
}

TEST(TriggerPlan, WrongParametersSayWhat) {
  EXPECT_NE(trigger_plan(json{{"action", "explode"}}).error().find("params.action must be one of"),
            std::string::npos);
  EXPECT_NE(trigger_plan(json::object()).error().find("params.action"), std::string::npos);
  EXPECT_EQ(trigger_plan(json{{"action", "oops"}, {"how", "abba"}}).error(),
            "params.how applies to action = \"deadlock\" only");
  EXPECT_EQ(trigger_plan(json{{"action", "deadlock"}, {"how", "cba"}}).error(),
            "params.how must be \"self\", \"abba\" or \"rwsem\"");
  EXPECT_NE(trigger_plan(json{{"action", "oops"}, {"duration", "5s"}}).error().find("not to \"oops\""),
            std::string::npos);
  EXPECT_NE(
      trigger_plan(json{{"action", "soft-lockup"}, {"duration", "11m"}}).error().find("from 1s to 600s"),
      std::string::npos);
  EXPECT_NE(trigger_plan(json{{"action", "deadlock"}, {"wait", "500ms"}}).error().find("params.wait"),
            std::string::npos);
}

TEST(TriggerActions, TheKernelsListingIsSplitOnBlanks) {
  EXPECT_EQ(trigger_actions("deadlock-self deadlock-abba oops\n"),
            (std::vector<std::string>{"deadlock-self", "deadlock-abba", "oops"}));
  EXPECT_TRUE(trigger_actions("").empty());
  EXPECT_TRUE(trigger_actions(" \n").empty());
  EXPECT_EQ(trigger_actions(std::string(100000, 'x') + " y").size(), 2u);
}

}  // namespace
}  // namespace numalab::workload
