#include "runner/result_stream.h"

#include "runner/protocol.h"

namespace keel::conform {

ResultStream::ResultStream(const std::filesystem::path& path, const WaiverSet* waivers, std::string plugin,
                           std::string device, size_t total, bool show_progress)
    : file_(path, std::ios::trunc),
      waivers_(waivers),
      plugin_(std::move(plugin)),
      device_(std::move(device)),
      progress_(total, show_progress) {}

void ResultStream::add(const CaseSpec& spec, const CaseResult& raw) {
  RecordedCase recorded{&spec, raw, raw.outcome, nullptr};
  if (waivers_ != nullptr) {
    recorded.waiver = waivers_->find(plugin_, device_, spec.id);
    recorded.result.outcome = WaiverSet::apply(raw.outcome, recorded.waiver);
  }
  nlohmann::json line = result_to_json(spec.id, recorded.result);
  line["profile"] = profile_name(spec.profile);
  line["layer"] = layer_name(spec.layer);
  if (recorded.waiver != nullptr) {
    line["raw_outcome"] = outcome_name(raw.outcome);
    line["waiver"] = recorded.waiver->reason;
  }
  file_ << json_line(line) << "\n" << std::flush;  // a crash of the parent later loses nothing written
  progress_.case_done(spec.id, recorded.result.outcome);
  results_[spec.id] = recorded;
}

std::vector<RecordedCase> ResultStream::in_order(const std::vector<const CaseSpec*>& cases) const {
  std::vector<RecordedCase> ordered;
  for (const CaseSpec* spec : cases) {
    const auto found = results_.find(spec->id);
    if (found != results_.end()) ordered.push_back(found->second);
  }
  return ordered;
}

}  // namespace keel::conform
