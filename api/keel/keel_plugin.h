/* Keel ABI v1: what a backend plugin implements.
 *
 * A plugin is a shared library (libkeel_<name>.so) that exports exactly two C symbols:
 *
 *   int32_t       keel_plugin_probe(void);
 *   keel_status_t keel_plugin_init(const keel_host_api_t* host, keel_plugin_init_args_t* args);
 *
 * The host (libkeel) calls probe first: it must be cheap and free of side effects, and returns 0 when the
 * plugin cannot run on this system, or a score (higher = better build; lets ISA variants of one plugin
 * coexist, the highest score wins). Then init: the plugin negotiates the ABI version, creates its devices,
 * registers its kernels through `host->kernel_register`, and fills `args` with its function table.
 *
 * A plugin includes only api/ headers and never links libkeel. Nothing may throw, abort or exit across
 * this boundary: C++ plugins catch at every entry point and return a status instead.
 *
 * Slots marked (optional) may be NULL; every other slot is mandatory and the loader rejects a plugin that
 * leaves one NULL, naming the slot. Callers reach a slot only when the table's struct_size covers it.
 *
 * Frozen in every major version: the two entry points' signatures, keel_plugin_init_args_t up to and
 * including plugin_abi_version, and keel_host_api_t up to and including status_release. So a plugin and a
 * host of different majors can still read each other's versions and refuse with a status. A host never
 * calls anything else of a plugin whose major differs from its own (not even shutdown).
 *
 * Threading: device, memory, event and registry calls may come from any thread at once and must be
 * thread-safe. A queue is externally synchronized: the host never calls one queue from two threads at once.
 * Host callbacks are invoked without plugin locks held and must not block.
 */
#ifndef KEEL_PLUGIN_H_
#define KEEL_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#include "keel/keel_status.h"
#include "keel/keel_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Plugin-defined handles ---------------------------------------------------------------------------- */

/* Each plugin defines these structs; the host only passes the pointers back. */
typedef struct keel_plugin_device_s keel_plugin_device_t;
typedef struct keel_plugin_queue_s keel_plugin_queue_t;
typedef struct keel_plugin_event_s keel_plugin_event_t;
/* keel_plugin_buffer_t is declared in keel_types.h (tensor descriptors carry it). */

/* ---- Kernels ------------------------------------------------------------------------------------------- */

/* One operator invocation as a kernel sees it. Everything is borrowed for the duration of the call. */
typedef struct keel_kernel_call_t {
  size_t struct_size;
  const keel_ext_t* next;
  keel_plugin_device_t* device;
  const char* op_name;               /* a spec operator name, e.g. "add" */
  uint32_t op_version;               /* the spec version of that operator */
  const void* attrs;                 /* the op's keel_<op>_attrs_t (keel_ops.h), or NULL when it has none. The
                                        host fills in defaults for fields an older caller lacked, so the struct
                                        is complete up to the host's struct_size; a plugin built against newer
                                        headers checks struct_size before reading newer fields. */
  const keel_tensor_desc_t* inputs;  /* input_count descriptors, in spec order */
  size_t input_count;
  const keel_tensor_desc_t* outputs; /* output_count descriptors; shapes already inferred by the host */
  size_t output_count;
} keel_kernel_call_t;

/* The host calls a kernel only with calls that passed the spec's constraints and shape inference, so a
 * kernel need not re-validate them. */
typedef struct keel_kernel_api_t {
  size_t struct_size;
  /* (optional) Can this kernel run `call` on `call->device`? Return NULL for yes, or a status (usually
   * UNIMPLEMENTED) whose message says why not; the host records it in the dispatch report. Buffers in `call`
   * may be NULL. NULL slot: the registration's dtype and layout constraints are the whole answer. */
  keel_status_t (*supports)(void* kernel_ctx, const keel_kernel_call_t* call);
  /* (optional) Prepare state for calls with this signature (op, attrs, dtypes, shapes, strides), e.g. a
   * compiled primitive. Buffers in `call` are NULL. The host caches the state and passes it to compute. */
  keel_status_t (*create)(void* kernel_ctx, const keel_kernel_call_t* call, void** out_state);
  /* Enqueue the computation on `queue`. `state` is what create returned, or NULL without create. */
  keel_status_t (*compute)(void* kernel_ctx, void* state, keel_plugin_queue_t* queue,
                           const keel_kernel_call_t* call);
  /* (optional; mandatory with create) Release a state from create. Called when no compute is in flight. */
  void (*release_state)(void* kernel_ctx, void* state);
} keel_kernel_api_t;

KEEL_ASSERT_LAYOUT(kernel_api_compute, offsetof(keel_kernel_api_t, compute) == 3 * sizeof(void*));

/* Layout requirements of a kernel, bits of keel_kernel_registration_t.layout_flags. */
#define KEEL_KERNEL_ANY_STRIDES 0u
#define KEEL_KERNEL_CONTIGUOUS_ONLY 1u /* every input and output is dense row-major with byte_offset aligned */

typedef struct keel_kernel_registration_t {
  size_t struct_size;
  const keel_ext_t* next;
  const char* op_name;          /* spec operator name; copied by the host */
  uint32_t op_version_min;      /* spec versions of the operator this kernel implements, inclusive */
  uint32_t op_version_max;
  const char* kernel_name;      /* shown in reports, e.g. "reference.add"; copied by the host */
  int32_t priority;             /* higher is tried first among the kernels of one device */
  const keel_dtype_t* dtypes;   /* dtypes accepted for the op's primary type variable (the first one the
                                   spec declares); dtype_count 0 accepts every dtype the spec allows. Copied. */
  size_t dtype_count;
  uint32_t layout_flags;        /* KEEL_KERNEL_* */
  const keel_kernel_api_t* api; /* owned by the plugin; must live until shutdown */
  void* kernel_ctx;             /* passed back to every kernel call */
} keel_kernel_registration_t;

/* ---- The host table (libkeel → plugin) ----------------------------------------------------------------- */

typedef enum keel_log_level_e {
  KEEL_LOG_ERROR = 0,
  KEEL_LOG_WARNING = 1,
  KEEL_LOG_INFO = 2,
  KEEL_LOG_DEBUG = 3
} keel_log_level_e;

/* Handed to keel_plugin_init; owned by the host and valid until the plugin's shutdown returns. */
typedef struct keel_host_api_t {
  size_t struct_size;
  const keel_ext_t* next;
  uint32_t abi_version; /* the newest ABI version the host implements */
  void* host_ctx;       /* pass to the calls below that take it */
  /* Create a status naming this plugin as its source. `message` is copied. Never returns NULL for a
   * non-OK code (on allocation failure a static RESOURCE_EXHAUSTED status is returned). */
  keel_status_t (*status_create)(void* host_ctx, keel_status_code_t code, const char* message);
  keel_status_code_t (*status_code)(keel_status_t status);
  const char* (*status_message)(keel_status_t status); /* has the lifetime of `status` */
  void (*status_release)(keel_status_t status);
  /* Write a log line attributed to the plugin; shown according to KEEL_LOG_LEVEL. `message` is copied. */
  void (*log)(void* host_ctx, uint32_t level, const char* message);
  /* Register a kernel. Only valid during keel_plugin_init. The registration is copied. If init then fails,
   * every registration is discarded. NOT_FOUND for an operator the host's spec does not have. */
  keel_status_t (*kernel_register)(void* host_ctx, const keel_kernel_registration_t* registration);
} keel_host_api_t;

KEEL_ASSERT_LAYOUT(host_api_status_create, offsetof(keel_host_api_t, status_create) == 4 * sizeof(void*));

/* ---- The plugin table (plugin → libkeel) --------------------------------------------------------------- */

/* Called by a queue once the work enqueued before it has finished. Must not block. */
typedef void (*keel_host_callback_fn)(void* user_data);

typedef struct keel_plugin_api_t {
  size_t struct_size;
  const keel_ext_t* next;

  /* Release everything the plugin created. Called once, after every handle has been released and before
   * the library is unloaded. */
  void (*shutdown)(void* plugin_ctx);

  /* -- Devices. Created by the plugin in init; they live until shutdown. -- */
  keel_status_t (*device_count)(void* plugin_ctx, size_t* out_count);
  keel_status_t (*device_get)(void* plugin_ctx, size_t index, keel_plugin_device_t** out_device);
  /* Fill the fields of `inout_properties` that its struct_size covers. */
  keel_status_t (*device_properties)(keel_plugin_device_t* device, keel_device_properties_t* inout_properties);
  /* (optional) Query, then fill: with out_attributes NULL, write the count; else fill at most *inout_count
   * entries and write how many were filled. */
  keel_status_t (*device_attributes)(keel_plugin_device_t* device, keel_attribute_t* out_attributes,
                                     size_t* inout_count);

  /* -- Memory. -- */
  keel_status_t (*memory_space_properties)(keel_plugin_device_t* device, uint32_t memory_space,
                                           keel_memory_space_properties_t* inout_properties);
  /* Returns RESOURCE_EXHAUSTED (never crashes) when the size cannot be served. `out_host_ptr` receives the
   * host address of byte 0 for host-accessible spaces, else NULL. The caller releases the buffer with
   * buffer_release. */
  keel_status_t (*buffer_allocate)(keel_plugin_device_t* device, const keel_buffer_allocate_args_t* args,
                                   keel_plugin_buffer_t** out_buffer, void** out_host_ptr);
  /* Called only when no queued work uses the buffer. */
  void (*buffer_release)(keel_plugin_buffer_t* buffer);
  /* Synchronous copies; ranges are checked by the host. buffer_copy stays within one device. */
  keel_status_t (*buffer_write)(keel_plugin_buffer_t* buffer, uint64_t offset, const void* src, uint64_t size);
  keel_status_t (*buffer_read)(keel_plugin_buffer_t* buffer, uint64_t offset, void* dst, uint64_t size);
  keel_status_t (*buffer_copy)(keel_plugin_buffer_t* src, uint64_t src_offset, keel_plugin_buffer_t* dst,
                               uint64_t dst_offset, uint64_t size);
  keel_status_t (*memory_stats)(keel_plugin_device_t* device, uint32_t memory_space,
                                keel_memory_stats_t* inout_stats);
  keel_status_t (*memory_reset_peak)(keel_plugin_device_t* device, uint32_t memory_space);

  /* -- Queues: in-order streams of work. A device without KEEL_CAP_ASYNC runs each call to completion
   *    before returning (and says so in its capabilities).
   *    Errors: a failure of enqueued work (a kernel's asynchronous error, or waiting on a failed event) puts
   *    the queue in an error state. From then on the queue skips the work enqueued after it, every event it
   *    signals is failed with the same code and message, and the next queue_synchronize returns the error
   *    and clears the state (work enqueued after that runs again). A call may also return the error directly
   *    when it is already known at enqueue time (a synchronous device does this). -- */
  keel_status_t (*queue_create)(keel_plugin_device_t* device, const keel_queue_create_args_t* args,
                                keel_plugin_queue_t** out_queue);
  /* Waits for the queue's work, then frees it. */
  void (*queue_release)(keel_plugin_queue_t* queue);
  /* `src` / `dst` must stay valid until the work completes. */
  keel_status_t (*queue_write)(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                               const void* src, uint64_t size);
  keel_status_t (*queue_read)(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                              void* dst, uint64_t size);
  keel_status_t (*queue_copy)(keel_plugin_queue_t* queue, keel_plugin_buffer_t* src, uint64_t src_offset,
                              keel_plugin_buffer_t* dst, uint64_t dst_offset, uint64_t size);
  /* Fill `size` bytes (a multiple of pattern_size) at any `offset` with a 1, 2, 4 or 8 byte pattern, copied
   * at the call. The host has already checked the range and the pattern size. */
  keel_status_t (*queue_fill)(keel_plugin_queue_t* queue, keel_plugin_buffer_t* buffer, uint64_t offset,
                              uint64_t size, const void* pattern, uint32_t pattern_size);
  keel_status_t (*queue_host_callback)(keel_plugin_queue_t* queue, keel_host_callback_fn callback,
                                       void* user_data);
  /* Set `event` to `value` once the work enqueued before has finished. */
  keel_status_t (*queue_signal)(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value);
  /* Hold later work until `event` reaches `value`. */
  keel_status_t (*queue_wait)(keel_plugin_queue_t* queue, keel_plugin_event_t* event, uint64_t value);
  /* Block until all enqueued work has finished; return the first asynchronous error since the last call. */
  keel_status_t (*queue_synchronize)(keel_plugin_queue_t* queue);

  /* -- Timeline events: a monotonically increasing uint64 value plus an error state. -- */
  keel_status_t (*event_create)(keel_plugin_device_t* device, uint64_t initial_value,
                                keel_plugin_event_t** out_event);
  void (*event_release)(keel_plugin_event_t* event);
  /* Host-side signal. INVALID_ARGUMENT when `value` is below the current value; the event's error once it
   * has failed. */
  keel_status_t (*event_signal)(keel_plugin_event_t* event, uint64_t value);
  /* Current value; returns the event's error (a new status each call) once it has failed. */
  keel_status_t (*event_query)(keel_plugin_event_t* event, uint64_t* out_value);
  /* Wait until the value is >= `value` or `timeout_ns` passes. *out_reached says which. Returns the event's
   * error once it has failed. */
  keel_status_t (*event_host_wait)(keel_plugin_event_t* event, uint64_t value, uint64_t timeout_ns,
                                   uint8_t* out_reached);
  /* Put the event into the error state; every waiter wakes and gets the error. `message` is copied. The
   * first failure wins: failing an already failed event changes nothing and returns OK. */
  keel_status_t (*event_fail)(keel_plugin_event_t* event, keel_status_code_t code, const char* message);

  /* (optional) Wrap `size` bytes of caller-owned host memory at `host_ptr` as a buffer without copying
   * (KEEL_CAP_IMPORT_HOST_PTR). The memory must outlive the buffer. */
  keel_status_t (*buffer_import_host)(keel_plugin_device_t* device, void* host_ptr, uint64_t size,
                                      keel_plugin_buffer_t** out_buffer);
} keel_plugin_api_t;

KEEL_ASSERT_LAYOUT(plugin_api_shutdown, offsetof(keel_plugin_api_t, shutdown) == 2 * sizeof(void*));
KEEL_ASSERT_LAYOUT(plugin_api_buffer_allocate,
                   offsetof(keel_plugin_api_t, buffer_allocate) == 8 * sizeof(void*));
KEEL_ASSERT_LAYOUT(plugin_api_queue_create, offsetof(keel_plugin_api_t, queue_create) == 15 * sizeof(void*));
KEEL_ASSERT_LAYOUT(plugin_api_event_create, offsetof(keel_plugin_api_t, event_create) == 25 * sizeof(void*));
/* Size of the table as ABI 1.0 defined it; later minors only append. */
#define KEEL_PLUGIN_API_SIZE_V1_0 KEEL_STRUCT_SIZE_UNTIL(keel_plugin_api_t, buffer_import_host)
KEEL_ASSERT_LAYOUT(plugin_api_v1_0_size, KEEL_PLUGIN_API_SIZE_V1_0 == 32 * sizeof(void*));

/* ---- Entry points -------------------------------------------------------------------------------------- */

typedef struct keel_plugin_init_args_t {
  size_t struct_size;
  const keel_ext_t* next;
  /* in: the ABI versions the host can work with, inclusive. */
  uint32_t host_abi_min;
  uint32_t host_abi_max;
  /* out: the ABI version the plugin was built for (normally KEEL_ABI_VERSION). The pair works at
   * min(host_abi_max, plugin_abi_version) provided the majors match. */
  uint32_t plugin_abi_version;
  const char* plugin_name;      /* [a-z0-9_]+; static storage in the plugin */
  const char* plugin_version;   /* the plugin's own version; static storage in the plugin */
  void* plugin_ctx;             /* passed back to plugin-level calls */
  const keel_plugin_api_t* api; /* owned by the plugin; must live until shutdown returns */
} keel_plugin_init_args_t;

#define KEEL_PLUGIN_PROBE_SYMBOL "keel_plugin_probe"
#define KEEL_PLUGIN_INIT_SYMBOL "keel_plugin_init"

typedef int32_t (*keel_plugin_probe_fn)(void);
typedef keel_status_t (*keel_plugin_init_fn)(const keel_host_api_t* host, keel_plugin_init_args_t* args);

/* Marks the two entry points visible in a library built with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define KEEL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define KEEL_PLUGIN_EXPORT
#endif

/* True when a plugin built for `plugin_version` can talk to a host offering [host_min, host_max]: the
 * majors must match and the working version min(host_max, plugin_version) must not be below host_min. */
static inline int keel_abi_compatible(uint32_t host_min, uint32_t host_max, uint32_t plugin_version) {
  uint32_t working = plugin_version < host_max ? plugin_version : host_max;
  return KEEL_VERSION_MAJOR(plugin_version) == KEEL_VERSION_MAJOR(host_max) && working >= host_min;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KEEL_PLUGIN_H_ */
