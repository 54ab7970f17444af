// A plain-text table with aligned columns, for the summary `keel conform` prints.
#pragma once

#include <string>
#include <vector>

namespace keel::conform {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace keel::conform
