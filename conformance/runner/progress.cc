#include "runner/progress.h"

#include <unistd.h>

#include <cstdio>

namespace keel::conform {

Progress::Progress(size_t total, bool enabled) : total_(total), enabled_(enabled), terminal_(isatty(STDERR_FILENO) != 0) {}

void Progress::case_done(const std::string& id, Outcome outcome) {
  ++done_;
  if (outcome == Outcome::kFail || outcome == Outcome::kXpass) ++failed_;
  if (outcome == Outcome::kCrashed || outcome == Outcome::kTimedOut) ++crashed_;
  if (outcome == Outcome::kUnsupported) ++unsupported_;
  if (!enabled_) return;
  if (terminal_ || done_ >= next_report_ || done_ == total_) print(id);
}

void Progress::print(const std::string& last_id) {
  char line[256];
  std::snprintf(line, sizeof(line), "[%5zu/%zu] %zu failed, %zu crashed or timed out, %zu unsupported", done_, total_,
                failed_, crashed_, unsupported_);
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s  %.60s", line, last_id.c_str());
  } else {
    std::fprintf(stderr, "%s\n", line);
    next_report_ = done_ + (total_ + 9) / 10;
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled_ && terminal_) std::fprintf(stderr, "\n");
}

}  // namespace keel::conform
