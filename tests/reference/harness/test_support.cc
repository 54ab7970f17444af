#include "harness/test_support.h"

namespace keel::reference_test {

std::string backend_name(const testing::TestParamInfo<std::string>& info) { return info.param; }

HostTensor BackendTest::run_one(const std::string& op, const void* attrs, const std::vector<HostTensor>& inputs,
                                const std::vector<Layout>& layouts, keel_dtype_t dtype, const Dims& shape,
                                const Layout& out_layout) {
  std::vector<DeviceTensor> device_inputs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    device_inputs.push_back(session().upload(inputs[i], i < layouts.size() ? layouts[i] : Layout::dense()));
  }
  const DeviceTensor output = session().output(dtype, shape, out_layout);
  const Outcome outcome = session().run(op, attrs, device_inputs, {output});
  if (!outcome.ok()) {
    ADD_FAILURE() << op << " failed with code " << outcome.code << ": " << outcome.message;
    return {};
  }
  return session().download(output);
}

}  // namespace keel::reference_test
