/* Keel ABI v1: what a framework or application calls (libkeel).
 *
 * A runtime discovers and loads plugins, exposes their devices, memory, queues and events, and runs spec
 * operators on them. Every call returns a keel_status_t (NULL = OK) that the caller releases with
 * keel_status_release, except the plain accessors documented otherwise.
 *
 * Lifetime: handles (plugin, device) borrowed from a runtime live as long as the runtime. Buffers, queues
 * and events keep the runtime alive: keel_runtime_release only drops the caller's reference, and plugins
 * are shut down once the last handle is gone.
 *
 * Threading: runtime, device, buffer and event calls are thread-safe. A queue is externally synchronized.
 */
#ifndef KEEL_RUNTIME_H_
#define KEEL_RUNTIME_H_

#include <stddef.h>
#include <stdint.h>

#include "keel/keel_status.h"
#include "keel/keel_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KEEL_API __attribute__((visibility("default")))
#else
#define KEEL_API
#endif

/* ---- Handles ------------------------------------------------------------------------------------------- */

typedef struct keel_runtime_s keel_runtime_t;
typedef struct keel_plugin_s keel_plugin_t;
typedef struct keel_device_s keel_device_t;
typedef struct keel_buffer_s keel_buffer_t;
typedef struct keel_queue_s keel_queue_t;
typedef struct keel_event_s keel_event_t;
typedef struct keel_op_s keel_op_t; /* a spec operator; static, never released */

/* ---- Status -------------------------------------------------------------------------------------------- */

/* KEEL_STATUS_OK for NULL. */
KEEL_API keel_status_code_t keel_status_code(keel_status_t status);
/* Has the lifetime of `status`; "" for NULL. */
KEEL_API const char* keel_status_message(keel_status_t status);
/* The plugin that produced the status, or "keel"; has the lifetime of `status`. */
KEEL_API const char* keel_status_source(keel_status_t status);
/* Releases a status; NULL is a no-op. */
KEEL_API void keel_status_release(keel_status_t status);
/* "INVALID_ARGUMENT" etc.; static storage. "UNKNOWN" for values outside the enum. */
KEEL_API const char* keel_status_code_name(keel_status_code_t code);
/* Create a status with source "keel" (for frameworks that hand statuses on). Caller releases it. */
KEEL_API keel_status_t keel_status_create(keel_status_code_t code, const char* message);

/* ---- Versions ------------------------------------------------------------------------------------------ */

/* The library version, e.g. "0.1.0"; static storage. */
KEEL_API const char* keel_version_string(void);
/* The ABI version libkeel implements (KEEL_ABI_VERSION of the headers it was built with). */
KEEL_API uint32_t keel_abi_version(void);
/* The operator-spec version libkeel carries, e.g. "1.0.0"; static storage. */
KEEL_API const char* keel_spec_version_string(void);

/* ---- Runtime and discovery ----------------------------------------------------------------------------- */

typedef struct keel_runtime_options_t {
  size_t struct_size;
  const keel_ext_t* next;
  /* Plugin libraries or directories to scan, searched first; borrowed for the call. */
  const char* const* plugin_paths;
  size_t plugin_path_count;
  uint8_t skip_env_path;  /* ignore KEEL_PLUGIN_PATH */
  uint8_t skip_manifests; /* ignore the manifest directory */
  /* Manifest directory; NULL means KEEL_MANIFEST_DIR if set, else <prefix>/share/keel/plugins.d of the
   * installed libkeel. Borrowed for the call. */
  const char* manifest_dir;
} keel_runtime_options_t;

/* Discover and load plugins. Plugins that fail to load do not fail the call; each is recorded in the
 * loader report with its reason. `options` may be NULL (defaults). The caller releases *out_runtime with
 * keel_runtime_release. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_runtime_create(const keel_runtime_options_t* options,
                                                                 keel_runtime_t** out_runtime);
/* Drops the caller's reference; NULL is a no-op. */
KEEL_API void keel_runtime_release(keel_runtime_t* runtime);

typedef enum keel_loader_outcome_e {
  KEEL_LOADER_ACCEPTED = 0,
  KEEL_LOADER_REJECTED = 1,   /* see reason */
  KEEL_LOADER_DUPLICATE = 2,  /* the same file (by real path) was already considered */
  KEEL_LOADER_SUPERSEDED = 3  /* another build of the same plugin had a higher probe score */
} keel_loader_outcome_e;
typedef uint32_t keel_loader_outcome_t;

/* One candidate the loader considered. Strings are owned by the runtime and live as long as it. */
typedef struct keel_loader_entry_t {
  size_t struct_size;
  const char* path;           /* as found */
  const char* real_path;      /* resolved path, or "" when it could not be resolved */
  const char* origin;         /* "application", "KEEL_PLUGIN_PATH" or "manifest <file>" */
  keel_loader_outcome_t outcome;
  const char* reason;         /* why it was not accepted; "" when accepted */
  const char* plugin_name;    /* "" when the plugin never said */
  const char* plugin_version; /* "" when the plugin never said */
  uint32_t plugin_abi_version;     /* 0 when unknown */
  uint32_t negotiated_abi_version; /* 0 unless accepted */
  int32_t probe_score;             /* -1 when probe was never called */
  uint64_t load_time_ns;           /* dlopen + probe + init */
} keel_loader_entry_t;

KEEL_API size_t keel_runtime_loader_entry_count(const keel_runtime_t* runtime);
/* Fill the fields of `inout_entry` that its struct_size covers. OUT_OF_RANGE past the end. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_runtime_loader_entry(const keel_runtime_t* runtime,
                                                                       size_t index,
                                                                       keel_loader_entry_t* inout_entry);

/* ---- Plugins ------------------------------------------------------------------------------------------- */

typedef struct keel_plugin_info_t {
  size_t struct_size;
  const char* name;    /* owned by the runtime */
  const char* version; /* owned by the runtime */
  const char* path;    /* real path of the library; owned by the runtime */
  uint32_t abi_version;           /* what the plugin was built for */
  uint32_t negotiated_abi_version;
  int32_t probe_score;
  size_t device_count;
  size_t kernel_count;
} keel_plugin_info_t;

/* A registered kernel. Strings and arrays are owned by the runtime. */
typedef struct keel_kernel_info_t {
  size_t struct_size;
  const char* op_name;
  const char* kernel_name;
  uint32_t op_version_min;
  uint32_t op_version_max;
  int32_t priority;
  const keel_dtype_t* dtypes; /* empty = every dtype the spec allows */
  size_t dtype_count;
  uint32_t layout_flags;
} keel_kernel_info_t;

KEEL_API size_t keel_runtime_plugin_count(const keel_runtime_t* runtime);
/* Borrowed; lives as long as the runtime. NULL past the end. */
KEEL_API keel_plugin_t* keel_runtime_plugin(const keel_runtime_t* runtime, size_t index);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_plugin_info(const keel_plugin_t* plugin,
                                                              keel_plugin_info_t* inout_info);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_plugin_kernel_info(const keel_plugin_t* plugin, size_t index,
                                                                     keel_kernel_info_t* inout_info);

/* ---- Devices ------------------------------------------------------------------------------------------- */

KEEL_API size_t keel_runtime_device_count(const keel_runtime_t* runtime);
/* Borrowed; lives as long as the runtime. NULL past the end. */
KEEL_API keel_device_t* keel_runtime_device(const keel_runtime_t* runtime, size_t index);
/* Find a device by Keel name: "<plugin>:<index>", or "<plugin>" for its first device. NOT_FOUND lists the
 * names that exist. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_runtime_find_device(const keel_runtime_t* runtime,
                                                                      const char* name,
                                                                      keel_device_t** out_device);
/* "<plugin>:<index>"; owned by the runtime. */
KEEL_API const char* keel_device_name(const keel_device_t* device);
KEEL_API keel_plugin_t* keel_device_plugin(const keel_device_t* device);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_device_properties(const keel_device_t* device,
                                                                    keel_device_properties_t* inout_properties);
/* Query, then fill (see keel_plugin_api_t.device_attributes). Strings are owned by the plugin and live as
 * long as the runtime. A device without attributes reports 0. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_device_attributes(const keel_device_t* device,
                                                                    keel_attribute_t* out_attributes,
                                                                    size_t* inout_count);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_device_memory_space_properties(
    const keel_device_t* device, uint32_t memory_space, keel_memory_space_properties_t* inout_properties);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_device_memory_stats(const keel_device_t* device,
                                                                      uint32_t memory_space,
                                                                      keel_memory_stats_t* inout_stats);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_device_memory_reset_peak(const keel_device_t* device,
                                                                           uint32_t memory_space);

/* ---- Buffers ------------------------------------------------------------------------------------------- */

/* Allocate on `device`. `args` may be NULL: memory space 0, default alignment, no flags, size 0. Impossible
 * sizes return RESOURCE_EXHAUSTED. The caller releases *out_buffer with keel_buffer_release. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_buffer_allocate(keel_device_t* device,
                                                                  const keel_buffer_allocate_args_t* args,
                                                                  keel_buffer_t** out_buffer);
/* NULL is a no-op. The caller must not release a buffer that queued work still uses. */
KEEL_API void keel_buffer_release(keel_buffer_t* buffer);
KEEL_API uint64_t keel_buffer_size(const keel_buffer_t* buffer);
/* Host address of byte 0 when the buffer's memory space is host-accessible, else NULL. */
KEEL_API void* keel_buffer_host_pointer(const keel_buffer_t* buffer);
KEEL_API keel_device_t* keel_buffer_device(const keel_buffer_t* buffer);
/* Synchronous copies. Ranges outside the buffer return OUT_OF_RANGE. keel_buffer_copy works across devices
 * and plugins (staging through host memory when needed). */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_buffer_write(keel_buffer_t* buffer, uint64_t offset,
                                                               const void* src, uint64_t size);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_buffer_read(keel_buffer_t* buffer, uint64_t offset, void* dst,
                                                              uint64_t size);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_buffer_copy(keel_buffer_t* src, uint64_t src_offset,
                                                              keel_buffer_t* dst, uint64_t dst_offset,
                                                              uint64_t size);

/* Wrap `size` bytes of caller-owned host memory as a buffer of `device` without copying. The memory must
 * outlive the buffer. UNIMPLEMENTED when the device cannot (it lacks KEEL_CAP_IMPORT_HOST_PTR). The caller
 * releases *out_buffer with keel_buffer_release (which does not free the memory). */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_buffer_import_host(keel_device_t* device, void* host_ptr,
                                                                     uint64_t size, keel_buffer_t** out_buffer);

/* ---- Queues -------------------------------------------------------------------------------------------- */

/* Queue calls check their buffers like the synchronous copies: a buffer on another device is
 * INVALID_ARGUMENT, a range outside it OUT_OF_RANGE. Errors of enqueued work follow the queue error rules of
 * keel_plugin.h: they surface on the next keel_queue_synchronize and on the events the queue signals.
 *
 * `args` may be NULL. The caller releases *out_queue with keel_queue_release (which waits for its work). */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_create(keel_device_t* device,
                                                               const keel_queue_create_args_t* args,
                                                               keel_queue_t** out_queue);
KEEL_API void keel_queue_release(keel_queue_t* queue);
KEEL_API keel_device_t* keel_queue_device(const keel_queue_t* queue);
/* Queue-ordered copies; `src` / `dst` host memory must stay valid until the work completes. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_write(keel_queue_t* queue, keel_buffer_t* buffer,
                                                              uint64_t offset, const void* src, uint64_t size);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_read(keel_queue_t* queue, keel_buffer_t* buffer,
                                                             uint64_t offset, void* dst, uint64_t size);
/* Both buffers must be on the queue's device. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_copy(keel_queue_t* queue, keel_buffer_t* src,
                                                             uint64_t src_offset, keel_buffer_t* dst,
                                                             uint64_t dst_offset, uint64_t size);
/* INVALID_ARGUMENT unless pattern_size is 1, 2, 4 or 8 and divides `size`; `offset` may be anything. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_fill(keel_queue_t* queue, keel_buffer_t* buffer,
                                                             uint64_t offset, uint64_t size,
                                                             const void* pattern, uint32_t pattern_size);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_host_callback(keel_queue_t* queue,
                                                                      void (*callback)(void* user_data),
                                                                      void* user_data);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_signal(keel_queue_t* queue, keel_event_t* event,
                                                               uint64_t value);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_wait(keel_queue_t* queue, keel_event_t* event,
                                                             uint64_t value);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_queue_synchronize(keel_queue_t* queue);

/* ---- Events -------------------------------------------------------------------------------------------- */

/* The caller releases *out_event with keel_event_release. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_event_create(keel_device_t* device, uint64_t initial_value,
                                                               keel_event_t** out_event);
KEEL_API void keel_event_release(keel_event_t* event);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_event_signal(keel_event_t* event, uint64_t value);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_event_query(keel_event_t* event, uint64_t* out_value);
/* *out_reached = 1 when the value reached `value`, 0 on timeout. Returns the event's error if it failed. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_event_host_wait(keel_event_t* event, uint64_t value,
                                                                  uint64_t timeout_ns, uint8_t* out_reached);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_event_fail(keel_event_t* event, keel_status_code_t code,
                                                             const char* message);

/* ---- Operators ----------------------------------------------------------------------------------------- */

/* A tensor as a framework passes it: a buffer plus a strided view (see keel_tensor_desc_t for the
 * addressing rule). */
typedef struct keel_tensor_t {
  keel_buffer_t* buffer; /* borrowed for the call; NULL in shape-only queries */
  keel_dtype_t dtype;
  uint32_t rank;
  int64_t shape[KEEL_MAX_RANK];
  int64_t strides[KEEL_MAX_RANK]; /* in elements */
  uint64_t byte_offset;
} keel_tensor_t;

/* Describes a spec operator. Strings are static. */
typedef struct keel_op_info_t {
  size_t struct_size;
  const char* name;
  const char* domain;
  uint32_t version;
  const char* group;       /* e.g. "elementwise_binary" */
  const char* summary;
  size_t input_count;      /* declared inputs (a variadic input counts once) */
  size_t output_count;
  uint8_t variadic_input;  /* the last input takes one or more tensors */
  uint8_t differentiable;
  const keel_dtype_t* dtypes; /* the dtypes the spec allows for the primary type variable (kernels register
                                 for these); static */
  size_t dtype_count;
  uint8_t composite; /* the spec defines it by a decomposition: a device without a kernel for it runs that */
} keel_op_info_t;

KEEL_API size_t keel_op_count(void);
/* NULL past the end. */
KEEL_API const keel_op_t* keel_op_at(size_t index);
/* NOT_FOUND for unknown names. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_op_find(const char* name, const keel_op_t** out_op);
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_op_describe(const keel_op_t* op, keel_op_info_t* inout_info);

/* Check `inputs` and `attrs` (the op's keel_<op>_attrs_t, or NULL for defaults) against the spec's
 * constraints and infer the outputs' dtypes and shapes into out_outputs[0..output_count) (dense row-major
 * strides, buffer NULL). Needs no device. INVALID_ARGUMENT names the operator, the argument and the
 * violated constraint. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_op_infer(const keel_op_t* op, const void* attrs,
                                                           const keel_tensor_t* inputs, size_t input_count,
                                                           keel_tensor_t* out_outputs, size_t output_count);

/* Run `op` on the queue's device: validate, infer, choose a kernel (priority order; KEEL_VERBOSE=1 prints
 * why each candidate was skipped) and enqueue it. `outputs` must be allocated by the caller with the
 * inferred dtypes and shapes (any strides). Every buffer must live on the queue's device. UNIMPLEMENTED
 * when no kernel of the device accepts the call; its message lists each kernel's reason. */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_op_run(keel_queue_t* queue, const keel_op_t* op,
                                                         const void* attrs, const keel_tensor_t* inputs,
                                                         size_t input_count, const keel_tensor_t* outputs,
                                                         size_t output_count);

/* Would keel_op_run accept this call on `device`? Returns NULL, or the status keel_op_run would return
 * (buffers may be NULL). */
KEEL_API KEEL_MUST_USE_RESULT keel_status_t keel_device_supports_op(const keel_device_t* device,
                                                                     const keel_op_t* op, const void* attrs,
                                                                     const keel_tensor_t* inputs,
                                                                     size_t input_count,
                                                                     const keel_tensor_t* outputs,
                                                                     size_t output_count);

/* Does any kernel of `plugin` claim `op` (by name and version)? Cheap; no supports() call. */
KEEL_API uint8_t keel_plugin_implements_op(const keel_plugin_t* plugin, const keel_op_t* op);

/* ---- Utilities ----------------------------------------------------------------------------------------- */

/* Bytes per element; 0 for KEEL_DTYPE_INVALID or unknown values. */
KEEL_API size_t keel_dtype_size(keel_dtype_t dtype);
/* "f32", "i64", "bool", ...; "invalid" for unknown values. Static storage. */
KEEL_API const char* keel_dtype_name(keel_dtype_t dtype);
/* The conformance profile that makes `dtype` mandatory where an operator allows it: "core", "fp16", "bf16",
 * "fp64" or "int8" (the operator spec's table); "" for unknown values. Static storage. */
KEEL_API const char* keel_dtype_profile(keel_dtype_t dtype);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KEEL_RUNTIME_H_ */
