#include "agent/protocol.hpp"

namespace numalab::agent {

// partial_ holds at most max_line_ + 1 bytes: a line's content plus a possible trailing '\r'.
std::vector<std::string> LineAssembler::feed(std::string_view bytes) {
  std::vector<std::string> lines;
  while (!bytes.empty()) {
    auto nl = bytes.find('\n');
    std::string_view piece = bytes.substr(0, nl);
    bytes = nl == std::string_view::npos ? std::string_view{} : bytes.substr(nl + 1);
    bool complete = nl != std::string_view::npos;

    if (!discarding_ && partial_.size() + piece.size() > max_line_ + 1) {
      discarding_ = true;
      ++dropped_;
      partial_.clear();
    }
    if (!discarding_) partial_.append(piece);
    if (!complete) continue;

    if (!discarding_) {
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      if (partial_.size() > max_line_)
        ++dropped_;
      else if (!partial_.empty())
        lines.push_back(std::move(partial_));
    }
    partial_.clear();
    discarding_ = false;
  }
  return lines;
}

}  // namespace numalab::agent
