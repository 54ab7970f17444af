// Composite lowering: a composite operator without a kernel runs as its decomposition.
//
// Every composite's samples must be supported on the reference device (the dry run infers each inner call
// and asks for its kernel, so an unknown helper or a decomposition that calls an operator badly shows up
// here) and must run. The numbers themselves are checked against independent computations in
// tests/reference, operator by operator.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "keel/keel.hpp"
#include "spec/op_schema.h"
#include "spec/samples.h"

namespace {

keel::Runtime runtime_with(std::vector<std::string> plugins) {
  keel::RuntimeOptions options;
  options.plugin_paths = std::move(plugins);
  options.use_env_path = false;
  options.use_manifests = false;
  return keel::Runtime::create(options);
}

// Input tensors for one expanded sample: dense buffers filled with small values in the sample's domain.
struct SampleInputs {
  std::vector<keel::Buffer> buffers;
  std::vector<keel_tensor_t> tensors;
};

void fill(keel::Buffer& buffer, keel_dtype_t dtype, int64_t count, const keel::spec::ValueRange& range) {
  std::vector<unsigned char> bytes(static_cast<size_t>(count) * keel_dtype_size(dtype));
  for (int64_t i = 0; i < count; ++i) {
    // A deterministic walk through the domain that stays away from its open ends.
    const double lo = std::isfinite(range.lo) ? range.lo : -3.0;
    const double hi = std::isfinite(range.hi) ? range.hi : 3.0;
    double v = lo + (hi - lo) * (0.125 + 0.75 * static_cast<double>((i * 7) % 11) / 10.0);
    if (range.integral) v = std::floor(v);
    if (range.exclude_zero && v == 0) v = hi > 1 ? 1 : (lo + hi) / 2;
    unsigned char* out = bytes.data() + static_cast<size_t>(i) * keel_dtype_size(dtype);
    switch (dtype) {
      case KEEL_DTYPE_F32: { const float f = static_cast<float>(v); std::memcpy(out, &f, 4); break; }
      case KEEL_DTYPE_F64: std::memcpy(out, &v, 8); break;
      case KEEL_DTYPE_I32: { const int32_t n = static_cast<int32_t>(v); std::memcpy(out, &n, 4); break; }
      case KEEL_DTYPE_I64: { const int64_t n = static_cast<int64_t>(v); std::memcpy(out, &n, 8); break; }
      case KEEL_DTYPE_BOOL: *out = static_cast<unsigned char>(i % 2); break;
      default: std::memset(out, 0, keel_dtype_size(dtype)); break;
    }
  }
  if (!bytes.empty()) buffer.write(bytes.data(), bytes.size());
}

bool supported_by_reference(keel_dtype_t dtype) {
  return dtype == KEEL_DTYPE_F32 || dtype == KEEL_DTYPE_F64 || dtype == KEEL_DTYPE_I32 ||
         dtype == KEEL_DTYPE_I64 || dtype == KEEL_DTYPE_BOOL || dtype == KEEL_DTYPE_INVALID;
}

TEST(LoweringTest, EveryCompositeSampleIsSupportedAndRunsOnTheReference) {
  keel::Runtime runtime = runtime_with({KEEL_BUILD_PLUGIN_DIR "/libkeel_reference.so"});
  keel::Device device = runtime.find_device("reference:0");
  keel::Queue queue = keel::Queue::create(device);
  size_t composites = 0;
  size_t calls = 0;
  for (const keel::spec::OpSchema& op : keel::spec::all_ops()) {
    if (!op.composite()) continue;
    ++composites;
    const keel_op_t* handle = keel::Op::find(op.name).get();
    for (size_t s = 0; s < op.sample_count; ++s) {
      const keel::spec::SampleCall& sample = op.samples[s];
      for (const std::vector<keel::spec::TensorMeta>& metas : keel::spec::expand_sample(op, sample)) {
        bool runnable = true;
        for (const auto& meta : metas) runnable = runnable && supported_by_reference(meta.dtype);
        if (!runnable) continue;  // f16/bf16: the reference plugin's extension profiles
        SCOPED_TRACE(std::string(op.name) + " sample " + sample.text);
        SampleInputs in;
        for (size_t i = 0; i < metas.size(); ++i) {
          keel_tensor_t tensor{};
          if (metas[i].dtype != KEEL_DTYPE_INVALID) {
            const int64_t count = metas[i].element_count();
            in.buffers.push_back(keel::Buffer::allocate(device, static_cast<uint64_t>(count) * keel_dtype_size(metas[i].dtype)));
            const keel::spec::CallView view(op, sample.attrs != nullptr ? sample.attrs : op.default_attrs, metas);
            fill(in.buffers.back(), metas[i].dtype, count,
                 sample.value_domains[i].domain(view, {sample.value_domains[i].args, sample.value_domains[i].arg_count}, i, 0));
            tensor = keel::make_tensor(in.buffers.back().get(), metas[i].dtype, metas[i].shape());
          }
          in.tensors.push_back(tensor);
        }
        std::vector<keel_tensor_t> outputs = keel::Op(handle).infer(sample.attrs, in.tensors);
        std::vector<keel::Buffer> out_buffers;
        for (keel_tensor_t& out : outputs) {
          out_buffers.push_back(keel::Buffer::allocate(device, static_cast<uint64_t>(keel::element_count(out)) * keel_dtype_size(out.dtype)));
          out.buffer = out_buffers.back().get();
        }
        keel_status_t supported = keel_device_supports_op(device.get(), handle, sample.attrs, in.tensors.data(),
                                                          in.tensors.size(), outputs.data(), outputs.size());
        EXPECT_EQ(supported, nullptr) << keel_status_message(supported);
        keel_status_release(supported);
        keel_status_t ran = keel_op_run(queue.get(), handle, sample.attrs, in.tensors.data(), in.tensors.size(),
                                        outputs.data(), outputs.size());
        EXPECT_EQ(ran, nullptr) << keel_status_message(ran);
        keel_status_release(ran);
        ++calls;
      }
    }
  }
  queue.synchronize();
  if (composites == 0) GTEST_SKIP() << "the spec has no composite operators";
  EXPECT_GT(calls, 0u);
}

TEST(LoweringTest, MissingPrimitiveIsReportedThroughTheComposite) {
  // The dispatch fixture only implements add: a composite built on other operators cannot be lowered there.
  const keel::spec::OpSchema* relu = keel::spec::find_op("relu");
  if (relu == nullptr || !relu->composite()) GTEST_SKIP() << "relu is not a composite in this spec";
  keel::Runtime runtime = runtime_with({KEEL_TEST_FIXTURE_DIR "/dispatch/libkeel_fixture_dispatch.so"});
  keel::Device device = runtime.find_device("fixture_dispatch:0");
  keel::Queue queue = keel::Queue::create(device);
  keel::Buffer x = keel::Buffer::allocate(device, 16);
  keel::Buffer y = keel::Buffer::allocate(device, 16);
  const keel_tensor_t input = keel::make_tensor(x.get(), KEEL_DTYPE_F32, {4});
  const keel_tensor_t output = keel::make_tensor(y.get(), KEEL_DTYPE_F32, {4});
  keel_status_t status = keel_op_run(queue.get(), keel::Op::find("relu").get(), nullptr, &input, 1, &output, 1);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_UNIMPLEMENTED);
  const std::string message = keel_status_message(status);
  EXPECT_NE(message.find("relu on fixture_dispatch:0 (no kernel; as its decomposition)"), std::string::npos) << message;
  keel_status_release(status);
  status = keel_device_supports_op(device.get(), keel::Op::find("relu").get(), nullptr, &input, 1, &output, 1);
  EXPECT_EQ(keel_status_code(status), KEEL_STATUS_UNIMPLEMENTED) << keel_status_message(status);
  keel_status_release(status);
}

}  // namespace
