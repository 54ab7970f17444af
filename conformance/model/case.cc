#include "model/case.h"

namespace keel::conform {

spec::ValueRange OpCall::domain(size_t input, int64_t element) const {
  const spec::CallView view(*op, attrs_ptr(), inputs);
  const spec::SampleDomain& sample_domain = *domains[input];
  return sample_domain.domain(view, std::span<const spec::Arg>(sample_domain.args, sample_domain.arg_count), input,
                              element);
}

const char* view_name(ViewKind view) {
  switch (view) {
    case ViewKind::kDense: return "dense";
    case ViewKind::kOffset: return "offset";
    case ViewKind::kStrided: return "strided";
    case ViewKind::kReversed: return "reversed";
    case ViewKind::kTransposed: return "transposed";
    case ViewKind::kBroadcast: return "broadcast";
  }
  return "?";
}

const char* data_set_name(DataSet data) {
  switch (data) {
    case DataSet::kUniform: return "uniform";
    case DataSet::kCancel: return "cancel";
    case DataSet::kSpecial: return "special";
  }
  return "?";
}

}  // namespace keel::conform
