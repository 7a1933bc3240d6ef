// util::FileLock: one holder at a time (two numalab processes building one kernel's work tree),
// the waiter told once, the lock gone with its holder.

#include "util/file_lock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "util/file_contents.hpp"
#include "util/temp_dir.hpp"

namespace numalab::util {
namespace {

TEST(FileLock, ASecondHolderWaitsUntilTheFirstLetsGo) {
  auto dir = ScopedTempDir::create("numalab-lock-");
  ASSERT_TRUE(dir);
  const auto path = dir->path() / "baseline.lock";
  auto first = FileLock::try_acquire(path);
  ASSERT_TRUE(first && first->held());
  auto busy = FileLock::try_acquire(path);  // another open file description: flock(2) refuses it
  ASSERT_TRUE(busy);
  EXPECT_FALSE(busy->held());

  std::atomic<int> told = 0;
  std::thread release([&] {
    while (told.load() == 0) std::this_thread::yield();
    first = FileLock::try_acquire(dir->path() / "other.lock");  // drops the first lock
  });
  auto second = FileLock::acquire(
      path, [&] { ++told; }, std::chrono::milliseconds(20));
  release.join();
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->held());
  EXPECT_EQ(told.load(), 1) << "told once, however long it waited";
}

TEST(FileLock, AFreeLockIsTakenWithoutWaiting) {
  auto dir = ScopedTempDir::create("numalab-lock-");
  ASSERT_TRUE(dir);
  bool told = false;
  auto lock = FileLock::acquire(dir->path() / "x.lock", [&] { told = true; });
  ASSERT_TRUE(lock);
  EXPECT_TRUE(lock->held());
  EXPECT_FALSE(told);
}

TEST(FileLock, AnExistingFileOnlyIsTakenAndCarriesTheHoldersText) {
  auto dir = ScopedTempDir::create("numalab-lock-");
  ASSERT_TRUE(dir);
  const auto path = dir->path() / "0007.lock";
  auto missing = FileLock::try_acquire_existing(path);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->held());
  EXPECT_FALSE(std::filesystem::exists(path)) << "not created";

  auto owner = FileLock::try_acquire(path);
  ASSERT_TRUE(owner && owner->held());
  ASSERT_TRUE(owner->write_text("4242\n"));
  ASSERT_TRUE(owner->write_text("42\n"));  // replaces, never appends
  EXPECT_EQ(read_file(path).value_or(""), "42\n");
  auto busy = FileLock::try_acquire_existing(path);
  ASSERT_TRUE(busy);
  EXPECT_FALSE(busy->held());
  EXPECT_FALSE(busy->write_text("1\n")) << "only the holder writes";

  owner = FileLock::try_acquire(dir->path() / "other.lock");  // drops the first lock
  auto free = FileLock::try_acquire_existing(path);
  ASSERT_TRUE(free);
  EXPECT_TRUE(free->held());
}

TEST(FileLock, AnUnopenableFileIsAnErrorThatNamesIt) {
  auto lock = FileLock::try_acquire("/nonexistent-numalab-dir/x.lock");
  ASSERT_FALSE(lock);
  EXPECT_NE(lock.error().message.find("/nonexistent-numalab-dir/x.lock"), std::string::npos);
}

}  // namespace
}  // namespace numalab::util
