#include "launch/startup_record.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "util/file_contents.hpp"
#include "util/json_text.hpp"

namespace numalab::launch {

namespace {

std::string text(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

util::Result<StartupRecord> read_startup_record(const std::filesystem::path& dir) {
  const auto file = dir / k_startup_record_file;
  auto bytes = util::read_file(file, 1 << 20);
  if (!bytes) return std::unexpected(bytes.error());
  const auto j = nlohmann::json::parse(*bytes, nullptr, false);
  auto bad = [&](const std::string& why) {
    return util::fail(util::ErrorKind::cannot_run, file.string() + " is not a startup cache entry: " + why);
  };
  if (!j.is_object()) return bad("not a JSON object");
  StartupRecord r;
  if (const auto f = j.find("format"); f == j.end() || !f->is_number_integer() || f->get<int>() != r.format)
    return bad("format is not " + std::to_string(r.format));
  r.key = text(j, "key");
  r.kernel_sha256 = text(j, "kernel_sha256");
  r.image_key = text(j, "image_key");
  r.qemu_version = text(j, "qemu_version");
  if (const auto a = j.find("argv"); a != j.end() && a->is_array())
    for (const auto& arg : *a)
      if (arg.is_string()) r.argv.push_back(arg.get<std::string>());
  if (const auto b = j.find("boot_seconds"); b != j.end() && b->is_number())
    r.boot_seconds = b->get<double>();
  r.created_at = text(j, "created_at");
  // The agent protocol's own decoder: one parser of a hello.
  const auto h = j.find("hello");
  if (h == j.end()) return bad("no hello");
  auto msg = agent::decode_guest_message(h->dump());
  if (!msg) return bad("hello: " + msg.error());
  const auto* hello = std::get_if<agent::Hello>(&*msg);
  if (!hello) return bad("hello is another message");
  r.hello = *hello;
  return r;
}

util::Result<void> write_startup_record(const std::filesystem::path& dir, const StartupRecord& r) {
  const nlohmann::json j{
      {"format", r.format},
      {"key", r.key},
      {"kernel_sha256", r.kernel_sha256},
      {"image_key", r.image_key},
      {"qemu_version", r.qemu_version},
      {"argv", r.argv},
      {"hello", nlohmann::json::parse(agent::encode(agent::GuestMessage(r.hello)), nullptr, false)},
      {"boot_seconds", r.boot_seconds},
      {"created_at", r.created_at}};
  return util::write_file(dir / k_startup_record_file, util::json_document(j),
                          {.sync = true, .mode = std::nullopt});
}

}  // namespace numalab::launch
