/* What c99_keel_ops.c (compiled as C99) reports about keel_ops.h. */
#ifndef KEEL_TESTS_SPEC_C99_KEEL_OPS_H_
#define KEEL_TESTS_SPEC_C99_KEEL_OPS_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct keel_spec_c_attrs_size_t {
  const char* op;
  size_t size; /* sizeof(keel_<op>_attrs_t) in C */
} keel_spec_c_attrs_size_t;

const keel_spec_c_attrs_size_t* keel_spec_c_attrs_sizes(size_t* count);
uint32_t keel_spec_c_div_default_rounding(void);
size_t keel_spec_c_resize_default_scales_count(void);
double keel_spec_c_selu_default_gamma(void);
int64_t keel_spec_c_conv_default_groups(void);
size_t keel_spec_c_slice_default_steps_count(void);
const char* keel_spec_c_version(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KEEL_TESTS_SPEC_C99_KEEL_OPS_H_ */
