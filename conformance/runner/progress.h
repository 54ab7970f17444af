// Progress on stderr while cases run: cases done of the total and the failures so far. On a terminal the
// line is redrawn in place; otherwise a line is printed at every tenth of the run.
#pragma once

#include <cstddef>
#include <string>

#include "model/outcome.h"

namespace keel::conform {

class Progress {
 public:
  Progress(size_t total, bool enabled);
  void case_done(const std::string& id, Outcome outcome);
  void finish();

 private:
  void print(const std::string& last_id);

  size_t total_;
  bool enabled_;
  bool terminal_;
  size_t done_ = 0;
  size_t failed_ = 0;   // fail and xpass
  size_t crashed_ = 0;  // crashed and timed_out
  size_t unsupported_ = 0;
  size_t next_report_ = 0;  // non-terminal: the next count to print at
};

}  // namespace keel::conform
