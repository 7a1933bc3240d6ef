// Passing a file descriptor with a QMP command (SCM_RIGHTS), as getfd needs: over a real socketpair,
// the peer receives a descriptor it can read or write through.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <deque>

#include "launch/qmp_client.hpp"

namespace numalab::launch {
namespace {

struct Received {
  std::string bytes;
  util::UniqueFd fd;
};

// What QEMU's end of the socket sees: the bytes and the descriptor that came with them.
Received receive_with_fd(int sock) {
  char buf[4096];
  iovec iov{buf, sizeof buf};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  Received r;
  if (n <= 0) return r;
  r.bytes.assign(buf, static_cast<std::size_t>(n));
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    int fd = -1;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    r.fd.reset(fd);
  }
  return r;
}

struct SocketPair {
  util::UniqueFd ours, qemus;
  SocketPair() {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    ours.reset(sv[0]);
    qemus.reset(sv[1]);
  }
};

struct Pipe {
  util::UniqueFd read, write;
  Pipe() {
    int p[2];
    EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
    read.reset(p[0]);
    write.reset(p[1]);
  }
};

auto soon() { return util::Deadline::after(std::chrono::seconds(2)); }

TEST(QmpFdPassing, TheDescriptorArrivesWithTheLine) {
  SocketPair s;
  Pipe pipe;
  SocketQmpTransport transport(std::move(s.ours));
  ASSERT_TRUE(transport.write_line_with_fd(R"({"execute": "getfd"})", pipe.write.get()));

  auto got = receive_with_fd(s.qemus.get());
  EXPECT_EQ(got.bytes, "{\"execute\": \"getfd\"}\n");
  ASSERT_TRUE(got.fd.valid());
  EXPECT_NE(got.fd.get(), pipe.write.get());
  // The peer's copy writes into our pipe.
  ASSERT_EQ(::write(got.fd.get(), "state", 5), 5);
  char buf[8] = {};
  ASSERT_EQ(::read(pipe.read.get(), buf, sizeof buf), 5);
  EXPECT_STREQ(buf, "state");
}

TEST(QmpFdPassing, ExecuteWithFdSendsTheCommandAndReadsItsReply) {
  SocketPair s;
  char tmpl[] = "/tmp/numalab-fd-XXXXXX";
  util::UniqueFd file(::mkstemp(tmpl));
  ASSERT_TRUE(file.valid());
  ::unlink(tmpl);
  ASSERT_EQ(::write(file.get(), "migration stream", 16), 16);
  // QEMU's reply is already waiting in the socket.
  const std::string reply = "{\"return\": {}, \"id\": 1}\n";
  ASSERT_EQ(::write(s.qemus.get(), reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));

  QmpClient qmp(std::make_unique<SocketQmpTransport>(std::move(s.ours)));
  auto r = qmp.execute_with_fd("getfd", {{"fdname", "numalab-state"}}, file.get(), soon());
  ASSERT_TRUE(r) << r.error().message;

  auto got = receive_with_fd(s.qemus.get());
  auto cmd = nlohmann::json::parse(got.bytes);
  EXPECT_EQ(cmd["execute"], "getfd");
  EXPECT_EQ(cmd["arguments"]["fdname"], "numalab-state");
  ASSERT_TRUE(got.fd.valid());
  char buf[32] = {};
  ASSERT_EQ(::pread(got.fd.get(), buf, sizeof buf - 1, 0), 16);
  EXPECT_STREQ(buf, "migration stream");
}

TEST(QmpFdPassing, AClosedDescriptorIsAnErrorThatNamesIt) {
  SocketPair s;
  int closed = ::dup(s.qemus.get());
  ::close(closed);
  QmpClient qmp(std::make_unique<SocketQmpTransport>(std::move(s.ours)));
  auto r = qmp.execute_with_fd("getfd", {{"fdname", "x"}}, closed, soon());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("QMP getfd"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("file descriptor " + std::to_string(closed)), std::string::npos)
      << r.error().message;
}

TEST(QmpFdPassing, QemusRefusalIsReported) {
  SocketPair s;
  Pipe pipe;
  const std::string reply =
      R"({"error": {"class": "GenericError", "desc": "No file descriptor supplied via SCM_RIGHTS"}, "id": 1})"
      "\n";
  ASSERT_EQ(::write(s.qemus.get(), reply.data(), reply.size()), static_cast<ssize_t>(reply.size()));
  QmpClient qmp(std::make_unique<SocketQmpTransport>(std::move(s.ours)));
  auto r = qmp.execute_with_fd("getfd", {{"fdname", "x"}}, pipe.write.get(), soon());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("No file descriptor supplied"), std::string::npos) << r.error().message;
}

TEST(QmpFdPassing, APeerThatHungUpIsAnError) {
  SocketPair s;
  Pipe pipe;
  s.qemus.reset();
  QmpClient qmp(std::make_unique<SocketQmpTransport>(std::move(s.ours)));
  auto r = qmp.execute_with_fd("getfd", {{"fdname", "x"}}, pipe.write.get(), soon());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("QMP getfd"), std::string::npos) << r.error().message;
}

// A transport without descriptors (the replaying fakes) says so instead of dropping the fd.
class LinesOnly final : public QmpTransport {
 public:
  util::Result<void> write_line(std::string_view) override { return {}; }
  util::Result<std::optional<std::string>> read_line(util::Deadline) override {
    return std::optional<std::string>();
  }
};

TEST(QmpFdPassing, ATransportWithoutDescriptorsRefuses) {
  Pipe pipe;
  QmpClient qmp(std::make_unique<LinesOnly>());
  auto r = qmp.execute_with_fd("getfd", {{"fdname", "x"}}, pipe.write.get(), soon());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot pass file descriptors"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace numalab::launch
