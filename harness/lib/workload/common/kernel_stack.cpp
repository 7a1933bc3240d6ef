#include "workload/common/kernel_stack.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

std::string printable_name(std::string_view s, std::size_t max_bytes) {
  std::string out(s.substr(0, max_bytes));
  for (char& c : out)
    if (const auto byte = static_cast<unsigned char>(c); byte < 0x20 || byte > 0x7e) c = '?';
  return out;
}

std::string kernel_function(std::string_view frame, std::size_t max_name_bytes) {
  std::string_view word = proc_text::next_word(frame);
  word = word.substr(0, word.find('+'));
  return printable_name(word, max_name_bytes);
}

std::vector<std::string> parse_kernel_stack(std::string_view text, std::size_t max_frames,
                                            std::size_t max_name_bytes) {
  std::vector<std::string> frames;
  if (text.size() > k_max_kernel_stack_bytes) return frames;
  while (!text.empty() && frames.size() < max_frames) {
    std::string_view line = proc_text::next_line(text);
    // "[<" ADDRESS ">]" then the frame.
    if (!line.starts_with("[<")) continue;
    const auto close = line.find(">]");
    if (close == std::string_view::npos) continue;
    std::string name = kernel_function(line.substr(close + 2), max_name_bytes);
    if (!name.empty()) frames.push_back(std::move(name));
  }
  return frames;
}

std::string parse_wchan(std::string_view text, std::size_t max_name_bytes) {
  std::string name = kernel_function(text, max_name_bytes);
  return name == "0" ? std::string() : name;
}

}  // namespace numalab::workload
