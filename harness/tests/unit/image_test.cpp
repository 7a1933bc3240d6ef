#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "image/cpio_writer.hpp"
#include "image/module_closure.hpp"
#include "util/child_process.hpp"
#include "util/temp_dir.hpp"

namespace numalab::image {
namespace {

TEST(CpioWriter, WritesAnArchiveThatCpioListsAndExtracts) {
  auto dir = util::ScopedTempDir::create();
  ASSERT_TRUE(dir);
  const auto archive = dir->path() / "a.cpio";
  {
    std::ofstream out(archive, std::ios::binary);
    CpioWriter w(out);
    w.directory("/bin");
    w.file("/bin/hello", "hello\n", 0755);
    w.symlink("/bin/hi", "hello");
    w.char_device("/console", 5, 1);
    w.finish();
    EXPECT_EQ(w.bytes_written() % 512, 0u);
  }
  auto listing = util::capture_output({"cpio", "-it", "--quiet", "-F", archive.string()},
                                      util::Deadline::after(std::chrono::seconds(10)));
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_EQ(*listing, "bin\nbin/hello\nbin/hi\nconsole\n");
  auto verbose = util::capture_output({"cpio", "-itv", "--quiet", "-F", archive.string()},
                                      util::Deadline::after(std::chrono::seconds(10)));
  ASSERT_TRUE(verbose);
  EXPECT_NE(verbose->find("-rwxr-xr-x"), std::string::npos) << *verbose;
  EXPECT_NE(verbose->find("bin/hi -> hello"), std::string::npos) << *verbose;
  EXPECT_NE(verbose->find("crw-------"), std::string::npos) << *verbose;
}

TEST(CpioWriter, SameEntriesGiveTheSameBytes) {
  auto make = [] {
    std::ostringstream out;
    CpioWriter w(out);
    w.file("/init", "x", 0755);
    w.finish();
    return out.str();
  };
  EXPECT_EQ(make(), make());
}

class ModuleClosure : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create();
    ASSERT_TRUE(d);
    dir_ = std::make_unique<util::ScopedTempDir>(std::move(*d));
    std::ofstream(dir_->path() / "modules.dep")
        << "kernel/drivers/virtio/virtio.ko:\n"
        << "kernel/drivers/virtio/virtio_ring.ko:\n"
        << "kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_modern_dev.ko "
           "kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko\n"
        << "kernel/drivers/virtio/virtio_pci_modern_dev.ko:\n"
        << "kernel/drivers/char/virtio_console.ko: kernel/drivers/virtio/virtio.ko "
           "kernel/drivers/virtio/virtio_ring.ko\n"
        << "kernel/drivers/misc/pvpanic/pvpanic-mmio.ko: kernel/drivers/misc/pvpanic/pvpanic.ko\n"
        << "kernel/drivers/misc/pvpanic/pvpanic.ko:\n";
    std::ofstream(dir_->path() / "modules.builtin") << "kernel/drivers/tty/serial/8250/8250.ko\n";
  }
  std::unique_ptr<util::ScopedTempDir> dir_;
};

TEST_F(ModuleClosure, LoadsDependenciesFirstAndEachOnce) {
  auto order = module_load_order(dir_->path(), {"virtio_pci", "virtio_console", "pvpanic-mmio"});
  ASSERT_TRUE(order) << order.error().message;
  const std::vector<std::string> expected = {
      "kernel/drivers/virtio/virtio_ring.ko",           "kernel/drivers/virtio/virtio.ko",
      "kernel/drivers/virtio/virtio_pci_modern_dev.ko", "kernel/drivers/virtio/virtio_pci.ko",
      "kernel/drivers/char/virtio_console.ko",          "kernel/drivers/misc/pvpanic/pvpanic.ko",
      "kernel/drivers/misc/pvpanic/pvpanic-mmio.ko"};
  EXPECT_EQ(*order, expected);
}

TEST_F(ModuleClosure, SkipsBuiltInModulesAndRejectsUnknownOnes) {
  auto order = module_load_order(dir_->path(), {"8250"});
  ASSERT_TRUE(order);
  EXPECT_TRUE(order->empty());
  auto bad = module_load_order(dir_->path(), {"no_such_module"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("no_such_module"), std::string::npos);
}

}  // namespace
}  // namespace numalab::image
