/* Kernel registration. The skeleton registers one kernel, for the spec operator "add" on f32, and every
 * slot of it answers UNIMPLEMENTED: the host then reports "skeleton.add: not written yet" instead of
 * running anything. Conformance counts UNIMPLEMENTED as missing, not as failed.
 *
 * TODO(vendor): one registration per operator you implement (see docs/ops.md for the operators, their
 * inputs, attributes and constraints), each with the dtypes and layouts it accepts. */
#include <string.h>

#include "keel/keel_ops.h"
#include "skeleton.h"

#define ADD_NOT_WRITTEN "not written yet"

/* Can this kernel run `call`? Buffers may be NULL: decide from dtypes, shapes, strides and attributes.
 * TODO(vendor): return NULL for the calls you handle, and UNIMPLEMENTED with the reason for the rest
 * (e.g. "broadcasting is not supported"); the host shows the reason in its dispatch report. */
static keel_status_t add_supports(void* kernel_ctx, const keel_kernel_call_t* call) {
  (void)kernel_ctx;
  return skeleton_error(call->device, KEEL_STATUS_UNIMPLEMENTED, ADD_NOT_WRITTEN);
}

/* Optional: prepare state for one call signature (compile a program, pick a tiling); the host caches it and
 * passes it to compute. TODO(vendor): build your state and store it in *out_state, or drop this slot and
 * release_state if you need none. */
static keel_status_t add_create(void* kernel_ctx, const keel_kernel_call_t* call, void** out_state) {
  (void)kernel_ctx;
  *out_state = NULL;
  return skeleton_error(call->device, KEEL_STATUS_UNIMPLEMENTED, ADD_NOT_WRITTEN);
}

/* Enqueue y = a + b on `queue`. call->inputs[0..1] are a and b, call->outputs[0] is y, its shape already
 * inferred (broadcast) by the host; the spec's constraints are already checked.
 * TODO(vendor): launch your kernel on the queue's stream and return without waiting. */
static keel_status_t add_compute(void* kernel_ctx, void* state, keel_plugin_queue_t* queue,
                                 const keel_kernel_call_t* call) {
  (void)kernel_ctx;
  (void)state;
  (void)queue;
  return skeleton_error(call->device, KEEL_STATUS_UNIMPLEMENTED, ADD_NOT_WRITTEN);
}

/* TODO(vendor): free what add_create made. Called when no compute using it is in flight. */
static void add_release_state(void* kernel_ctx, void* state) {
  (void)kernel_ctx;
  (void)state;
}

static const keel_kernel_api_t add_api = {
    .struct_size = sizeof(keel_kernel_api_t),
    .supports = add_supports,
    .create = add_create,
    .compute = add_compute,
    .release_state = add_release_state,
};

static const keel_dtype_t add_dtypes[] = {KEEL_DTYPE_F32};

keel_status_t skeleton_register_kernels(skeleton_plugin_t* plugin) {
  const keel_host_api_t* host = plugin->host;
  keel_kernel_registration_t registration;
  /* Reach a host slot only when the host's table is long enough to have it. */
  if (!KEEL_STRUCT_HAS(host->struct_size, keel_host_api_t, kernel_register) || host->kernel_register == NULL) {
    return host->status_create(host->host_ctx, KEEL_STATUS_FAILED_PRECONDITION,
                               "skeleton: the host cannot register kernels");
  }
  memset(&registration, 0, sizeof registration);
  registration.struct_size = sizeof registration;
  registration.op_name = KEEL_OP_ADD;
  registration.op_version_min = KEEL_OP_ADD_VERSION;
  registration.op_version_max = KEEL_OP_ADD_VERSION;
  registration.kernel_name = "skeleton.add";
  registration.priority = 0;
  registration.dtypes = add_dtypes;
  registration.dtype_count = sizeof add_dtypes / sizeof add_dtypes[0];
  registration.layout_flags = KEEL_KERNEL_CONTIGUOUS_ONLY;
  registration.api = &add_api;
  registration.kernel_ctx = plugin;
  return host->kernel_register(host->host_ctx, &registration);
}
