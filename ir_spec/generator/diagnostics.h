// Errors found in the spec, each tied to a file and line so an author can jump straight to it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace keel::specgen {

// A place in a spec file. `line` is 1-based; 0 means "the file as a whole".
struct Location {
  std::string file;
  int line = 0;
};

class Diagnostics {
 public:
  void error(const Location& where, std::string message);

  bool ok() const { return errors_.empty(); }
  size_t error_count() const { return errors_.size(); }
  // Writes "file:line: message", one per line, in the order found.
  void print(std::ostream& out) const;

 private:
  struct Entry {
    Location where;
    std::string message;
  };
  std::vector<Entry> errors_;
};

}  // namespace keel::specgen
