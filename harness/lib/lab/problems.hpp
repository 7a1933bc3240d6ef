#pragma once
// The problems found in one lab file. The parser keeps going after a problem so that a user sees
// every one of them at once, each as "FILE:LINE: what is wrong and what to change".

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <vector>

#include "lab/lab.hpp"

namespace numalab::lab {

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  // A problem at a value, key or table. `path` ("machine[0].node[1].memory") names the place in
  // the message when toml++ does not know its line.
  void add(const toml::source_region& where, std::string_view path, std::string message);
  void add(int line, std::string_view path, std::string message);

  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }
  const std::string& file() const { return file_; }
  SourceLocation location(const toml::node& node) const;

  // One problem a line, ordered by line (problems without a line last), no trailing newline.
  std::string text() const;

 private:
  struct Problem {
    int line = 0;
    std::string path;
    std::string message;
  };
  std::string file_;
  std::vector<Problem> problems_;
};

}  // namespace numalab::lab
