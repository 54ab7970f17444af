// Where case results go as they arrive in the parent: waivers applied, one line appended (and flushed) to
// results.jsonl, progress updated, and the result kept for the certificate.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "model/waivers.h"
#include "report/certificate.h"
#include "runner/progress.h"

namespace keel::conform {

class ResultStream {
 public:
  // `waivers` may be null; `plugin` and `device` are the names waivers are matched against.
  ResultStream(const std::filesystem::path& path, const WaiverSet* waivers, std::string plugin, std::string device,
               size_t total, bool show_progress);

  void add(const CaseSpec& spec, const CaseResult& raw);
  void finish() { progress_.finish(); }

  // The recorded cases of `cases` that have a result, in that order.
  std::vector<RecordedCase> in_order(const std::vector<const CaseSpec*>& cases) const;

 private:
  std::ofstream file_;
  const WaiverSet* waivers_;
  std::string plugin_;
  std::string device_;
  Progress progress_;
  std::map<std::string, RecordedCase> results_;
};

}  // namespace keel::conform
