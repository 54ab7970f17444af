/* Compiled as C99 with -pedantic-errors: keel_ops.h must be plain C. The table below lets a C++ test compare
 * the C sizes of the attribute structs with the ones the core's operator table was built with. */
#include "keel/keel_ops.h"

#include "c99_keel_ops.h"

static const keel_spec_c_attrs_size_t kSizes[] = {
    {KEEL_OP_LEAKY_RELU, sizeof(keel_leaky_relu_attrs_t)},
    {KEEL_OP_ELU, sizeof(keel_elu_attrs_t)},
    {KEEL_OP_CELU, sizeof(keel_celu_attrs_t)},
    {KEEL_OP_SELU, sizeof(keel_selu_attrs_t)},
    {KEEL_OP_GELU, sizeof(keel_gelu_attrs_t)},
    {KEEL_OP_HARDSIGMOID, sizeof(keel_hardsigmoid_attrs_t)},
    {KEEL_OP_CAST, sizeof(keel_cast_attrs_t)},
    {KEEL_OP_CONV, sizeof(keel_conv_attrs_t)},
    {KEEL_OP_CONV_TRANSPOSE, sizeof(keel_conv_transpose_attrs_t)},
    {KEEL_OP_FULL, sizeof(keel_full_attrs_t)},
    {KEEL_OP_ARANGE, sizeof(keel_arange_attrs_t)},
    {KEEL_OP_EYE, sizeof(keel_eye_attrs_t)},
    {KEEL_OP_DIV, sizeof(keel_div_attrs_t)},
    {KEEL_OP_ISINF, sizeof(keel_isinf_attrs_t)},
    {KEEL_OP_GATHER, sizeof(keel_gather_attrs_t)},
    {KEEL_OP_GATHER_ELEMENTS, sizeof(keel_gather_elements_attrs_t)},
    {KEEL_OP_GATHER_ND, sizeof(keel_gather_nd_attrs_t)},
    {KEEL_OP_SCATTER_ELEMENTS, sizeof(keel_scatter_elements_attrs_t)},
    {KEEL_OP_SCATTER_ND, sizeof(keel_scatter_nd_attrs_t)},
    {KEEL_OP_ONE_HOT, sizeof(keel_one_hot_attrs_t)},
    {KEEL_OP_SPLIT, sizeof(keel_split_attrs_t)},
    {KEEL_OP_TILE, sizeof(keel_tile_attrs_t)},
    {KEEL_OP_FLIP, sizeof(keel_flip_attrs_t)},
    {KEEL_OP_TRILU, sizeof(keel_trilu_attrs_t)},
    {KEEL_OP_GEMM, sizeof(keel_gemm_attrs_t)},
    {KEEL_OP_BATCH_NORM, sizeof(keel_batch_norm_attrs_t)},
    {KEEL_OP_BATCH_NORM_TRAINING, sizeof(keel_batch_norm_training_attrs_t)},
    {KEEL_OP_LAYER_NORM, sizeof(keel_layer_norm_attrs_t)},
    {KEEL_OP_GROUP_NORM, sizeof(keel_group_norm_attrs_t)},
    {KEEL_OP_RMS_NORM, sizeof(keel_rms_norm_attrs_t)},
    {KEEL_OP_SGD_UPDATE, sizeof(keel_sgd_update_attrs_t)},
    {KEEL_OP_ADAM_UPDATE, sizeof(keel_adam_update_attrs_t)},
    {KEEL_OP_MAX_POOL, sizeof(keel_max_pool_attrs_t)},
    {KEEL_OP_AVG_POOL, sizeof(keel_avg_pool_attrs_t)},
    {KEEL_OP_RNG_UNIFORM, sizeof(keel_rng_uniform_attrs_t)},
    {KEEL_OP_RNG_NORMAL, sizeof(keel_rng_normal_attrs_t)},
    {KEEL_OP_BERNOULLI, sizeof(keel_bernoulli_attrs_t)},
    {KEEL_OP_DROPOUT, sizeof(keel_dropout_attrs_t)},
    {KEEL_OP_REDUCE_SUM, sizeof(keel_reduce_sum_attrs_t)},
    {KEEL_OP_REDUCE_MEAN, sizeof(keel_reduce_mean_attrs_t)},
    {KEEL_OP_REDUCE_MAX, sizeof(keel_reduce_max_attrs_t)},
    {KEEL_OP_REDUCE_MIN, sizeof(keel_reduce_min_attrs_t)},
    {KEEL_OP_REDUCE_PROD, sizeof(keel_reduce_prod_attrs_t)},
    {KEEL_OP_ARGMAX, sizeof(keel_argmax_attrs_t)},
    {KEEL_OP_ARGMIN, sizeof(keel_argmin_attrs_t)},
    {KEEL_OP_RESIZE, sizeof(keel_resize_attrs_t)},
    {KEEL_OP_PAD, sizeof(keel_pad_attrs_t)},
    {KEEL_OP_CUMSUM, sizeof(keel_cumsum_attrs_t)},
    {KEEL_OP_TOPK, sizeof(keel_topk_attrs_t)},
    {KEEL_OP_RESHAPE, sizeof(keel_reshape_attrs_t)},
    {KEEL_OP_PERMUTE, sizeof(keel_permute_attrs_t)},
    {KEEL_OP_CONCAT, sizeof(keel_concat_attrs_t)},
    {KEEL_OP_SLICE, sizeof(keel_slice_attrs_t)},
    {KEEL_OP_FLATTEN, sizeof(keel_flatten_attrs_t)},
    {KEEL_OP_EXPAND, sizeof(keel_expand_attrs_t)},
    {KEEL_OP_SQUEEZE, sizeof(keel_squeeze_attrs_t)},
    {KEEL_OP_UNSQUEEZE, sizeof(keel_unsqueeze_attrs_t)},
    {KEEL_OP_SOFTMAX, sizeof(keel_softmax_attrs_t)},
    {KEEL_OP_LOG_SOFTMAX, sizeof(keel_log_softmax_attrs_t)},
    {KEEL_OP_NLL_LOSS, sizeof(keel_nll_loss_attrs_t)},
    {KEEL_OP_CROSS_ENTROPY, sizeof(keel_cross_entropy_attrs_t)},
    {KEEL_OP_CONV_BACKWARD_WEIGHT, sizeof(keel_conv_backward_weight_attrs_t)},
    {KEEL_OP_AVG_POOL_BACKWARD, sizeof(keel_avg_pool_backward_attrs_t)},
    {KEEL_OP_BATCH_NORM_BACKWARD, sizeof(keel_batch_norm_backward_attrs_t)},
    {KEEL_OP_LAYER_NORM_BACKWARD, sizeof(keel_layer_norm_backward_attrs_t)},
    {KEEL_OP_GROUP_NORM_BACKWARD, sizeof(keel_group_norm_backward_attrs_t)},
    {KEEL_OP_EMBEDDING_BACKWARD, sizeof(keel_embedding_backward_attrs_t)},
};

/* The _INIT macros are valid C99 initializers (list defaults, floats lists and enums included). */
static const keel_div_attrs_t kDivDefaults = KEEL_DIV_ATTRS_INIT;
static const keel_slice_attrs_t kSliceDefaults = KEEL_SLICE_ATTRS_INIT;
static const keel_resize_attrs_t kResizeDefaults = KEEL_RESIZE_ATTRS_INIT;
static const keel_selu_attrs_t kSeluDefaults = KEEL_SELU_ATTRS_INIT;
static const keel_conv_attrs_t kConvDefaults = KEEL_CONV_ATTRS_INIT;

const keel_spec_c_attrs_size_t* keel_spec_c_attrs_sizes(size_t* count) {
  *count = sizeof kSizes / sizeof kSizes[0];
  return kSizes;
}

uint32_t keel_spec_c_div_default_rounding(void) { return kDivDefaults.rounding; }
size_t keel_spec_c_slice_default_steps_count(void) { return kSliceDefaults.steps_count; }
size_t keel_spec_c_resize_default_scales_count(void) { return kResizeDefaults.scales_count; }
double keel_spec_c_selu_default_gamma(void) { return kSeluDefaults.gamma; }
int64_t keel_spec_c_conv_default_groups(void) { return kConvDefaults.groups; }
const char* keel_spec_c_version(void) { return KEEL_SPEC_VERSION; }
