/* Compiled as C99 with -pedantic-errors: keel_ops.h must be plain C. The table below lets a C++ test compare
 * the C sizes of the attribute structs with the ones the core's operator table was built with. */
#include "keel/keel_ops.h"

#include "c99_keel_ops.h"

static const keel_spec_c_attrs_size_t kSizes[] = {
    {KEEL_OP_CAST, sizeof(keel_cast_attrs_t)},
    {KEEL_OP_FULL, sizeof(keel_full_attrs_t)},
    {KEEL_OP_ARANGE, sizeof(keel_arange_attrs_t)},
    {KEEL_OP_DIV, sizeof(keel_div_attrs_t)},
    {KEEL_OP_REDUCE_SUM, sizeof(keel_reduce_sum_attrs_t)},
    {KEEL_OP_REDUCE_MEAN, sizeof(keel_reduce_mean_attrs_t)},
    {KEEL_OP_REDUCE_MAX, sizeof(keel_reduce_max_attrs_t)},
    {KEEL_OP_RESHAPE, sizeof(keel_reshape_attrs_t)},
    {KEEL_OP_PERMUTE, sizeof(keel_permute_attrs_t)},
    {KEEL_OP_CONCAT, sizeof(keel_concat_attrs_t)},
    {KEEL_OP_SLICE, sizeof(keel_slice_attrs_t)},
    {KEEL_OP_SOFTMAX, sizeof(keel_softmax_attrs_t)},
};

/* The _INIT macros are valid C99 initializers. */
static const keel_div_attrs_t kDivDefaults = KEEL_DIV_ATTRS_INIT;
static const keel_slice_attrs_t kSliceDefaults = KEEL_SLICE_ATTRS_INIT;

const keel_spec_c_attrs_size_t* keel_spec_c_attrs_sizes(size_t* count) {
  *count = sizeof kSizes / sizeof kSizes[0];
  return kSizes;
}

uint32_t keel_spec_c_div_default_rounding(void) { return kDivDefaults.rounding; }
size_t keel_spec_c_slice_default_steps_count(void) { return kSliceDefaults.steps_count; }
const char* keel_spec_c_version(void) { return KEEL_SPEC_VERSION; }
