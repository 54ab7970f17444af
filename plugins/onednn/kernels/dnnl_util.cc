#include "dnnl_util.h"

#include <algorithm>
#include <cstring>

namespace keel::onednn {

std::optional<dnnl::memory::data_type> dnnl_type(keel_dtype_t dtype) {
  using dt = dnnl::memory::data_type;
  switch (dtype) {
    case KEEL_DTYPE_F32: return dt::f32;
    case KEEL_DTYPE_BF16: return dt::bf16;
    case KEEL_DTYPE_F16: return dt::f16;
    case KEEL_DTYPE_I32: return dt::s32;
    case KEEL_DTYPE_I8: return dt::s8;
    case KEEL_DTYPE_U8: return dt::u8;
    default: return std::nullopt;
  }
}

std::optional<dnnl::memory::desc> strided_desc(std::span<const int64_t> dims, std::span<const int64_t> strides,
                                               dnnl::memory::data_type type) {
  dnnl::memory::dims d(dims.begin(), dims.end());
  dnnl::memory::dims s(strides.begin(), strides.end());
  if (d.empty()) {
    d = {1};
    s = {1};
  }
  for (size_t i = d.size(); i-- > 0;) {
    if (d[i] == 1 && s[i] <= 0) {
      // Never stepped along, so any stride is right; use the dense one so oneDNN sees a plain layout.
      s[i] = i + 1 < d.size() ? std::max<int64_t>(s[i + 1] * d[i + 1], 1) : 1;
    }
    if (s[i] < 0 || (s[i] == 0 && d[i] > 1)) return std::nullopt;
  }
  try {
    return dnnl::memory::desc(d, type, s);
  } catch (const dnnl::error&) {
    return std::nullopt;
  }
}

std::optional<dnnl::memory::desc> desc_of(const keel_tensor_desc_t& tensor) {
  const std::optional<dnnl::memory::data_type> type = dnnl_type(tensor.dtype);
  if (!type) return std::nullopt;
  return strided_desc({tensor.shape, tensor.rank}, {tensor.strides, tensor.rank}, *type);
}

bool is_reference_impl(const dnnl::primitive_desc_base& pd) {
  const char* name = pd.impl_info_str();
  return name == nullptr || std::strncmp(name, "ref", 3) == 0;
}

std::string impl_name(const dnnl::primitive_desc_base& pd) {
  const char* name = pd.impl_info_str();
  return name == nullptr ? "unknown" : name;
}

}  // namespace keel::onednn
