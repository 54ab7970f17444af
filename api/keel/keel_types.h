/* Keel ABI v1: value types shared by plugins (keel_plugin.h) and frameworks (keel_runtime.h).
 *
 * Struct rules (DESIGN §2): every table and args struct starts with `size_t struct_size` (args structs also
 * with `const keel_ext_t* next`); fields are only ever appended; enums cross the ABI as uint32_t; booleans are
 * uint8_t; strings are UTF-8 `const char*` with the owner stated. A receiver of a smaller struct treats the
 * missing fields as their documented defaults. Layouts are checked by KEEL_ASSERT_LAYOUT below.
 */
#ifndef KEEL_TYPES_H_
#define KEEL_TYPES_H_

#include <stddef.h>
#include <stdint.h>

#include "keel/keel_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------------------ */

#define KEEL_MAKE_VERSION(major, minor) ((((uint32_t)(major)) << 16) | ((uint32_t)(minor) & 0xffffu))
#define KEEL_VERSION_MAJOR(version) ((uint32_t)(version) >> 16)
#define KEEL_VERSION_MINOR(version) ((uint32_t)(version) & 0xffffu)

/* The ABI version these headers describe. See api/CHANGELOG.md for what each minor added. */
#define KEEL_ABI_VERSION_MAJOR 1
#define KEEL_ABI_VERSION_MINOR 0
#define KEEL_ABI_VERSION KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, KEEL_ABI_VERSION_MINOR)

/* C99-compatible compile-time check; used for the frozen struct layouts. */
#define KEEL_ASSERT_LAYOUT(name, condition) typedef char keel_layout_check_##name[(condition) ? 1 : -1]

/* Size of a struct up to and including `field`: what an older peer that ends at `field` reports. */
#define KEEL_STRUCT_SIZE_UNTIL(type, field) (offsetof(type, field) + sizeof(((type*)0)->field))

/* True when a struct of reported size `size` contains `field`. Readers call a slot or read a field only if
 * this holds (and, for a slot, the pointer is non-NULL). */
#define KEEL_STRUCT_HAS(size, type, field) ((size) >= KEEL_STRUCT_SIZE_UNTIL(type, field))

/* ---- Extension chain ----------------------------------------------------------------------------------- */

/* Header of an extension struct hung off an args struct's `next`. Unknown types are skipped. */
typedef struct keel_ext_t {
  size_t struct_size;
  uint32_t type;                 /* a registered extension type; 0 is never used */
  const struct keel_ext_t* next; /* borrowed for the call */
} keel_ext_t;

/* ---- Element types ------------------------------------------------------------------------------------- */

typedef enum keel_dtype_e {
  KEEL_DTYPE_INVALID = 0,
  KEEL_DTYPE_BOOL = 1, /* one byte, 0 or 1 */
  KEEL_DTYPE_I8 = 2,
  KEEL_DTYPE_U8 = 3,
  KEEL_DTYPE_I32 = 4,
  KEEL_DTYPE_I64 = 5,
  KEEL_DTYPE_F16 = 6,  /* IEEE binary16 */
  KEEL_DTYPE_BF16 = 7, /* bfloat16 */
  KEEL_DTYPE_F32 = 8,
  KEEL_DTYPE_F64 = 9
} keel_dtype_e;
typedef uint32_t keel_dtype_t;

/* ---- Tensors ------------------------------------------------------------------------------------------- */

/* A plugin's buffer handle; the plugin defines the struct. */
typedef struct keel_plugin_buffer_s keel_plugin_buffer_t;

#define KEEL_MAX_RANK 8

/* A tensor as a plugin kernel sees it. Plain data; frozen for ABI major 1.
 * The element at index (i0..i{rank-1}) lives at byte
 *   byte_offset + sizeof(dtype) * sum_k(i_k * strides[k])
 * of `buffer`. Strides are in elements and may be 0 (broadcast) or negative (reversed views). byte_offset is
 * a multiple of the element size (the host rejects other views). Entries of shape/strides at positions
 * >= rank are ignored. */
typedef struct keel_tensor_desc_t {
  keel_dtype_t dtype;
  uint32_t rank;
  int64_t shape[KEEL_MAX_RANK];
  int64_t strides[KEEL_MAX_RANK];
  uint64_t byte_offset;
  keel_plugin_buffer_t* buffer; /* the plugin's own handle (from buffer_allocate); borrowed for the call;
                                   NULL in queries that only describe shapes */
  void* data;   /* host address of element (0..0), i.e. the buffer's host address plus byte_offset, when the
                   buffer is host-accessible; else NULL. Borrowed. */
} keel_tensor_desc_t;

KEEL_ASSERT_LAYOUT(tensor_desc_shape, offsetof(keel_tensor_desc_t, shape) == 8);
KEEL_ASSERT_LAYOUT(tensor_desc_strides, offsetof(keel_tensor_desc_t, strides) == 8 + 8 * KEEL_MAX_RANK);
KEEL_ASSERT_LAYOUT(tensor_desc_offset, offsetof(keel_tensor_desc_t, byte_offset) == 8 + 16 * KEEL_MAX_RANK);

/* ---- Devices ------------------------------------------------------------------------------------------- */

typedef enum keel_device_type_e {
  KEEL_DEVICE_TYPE_UNKNOWN = 0,
  KEEL_DEVICE_TYPE_CPU = 1,
  KEEL_DEVICE_TYPE_GPU = 2,  /* discrete GPU with its own memory */
  KEEL_DEVICE_TYPE_IGPU = 3, /* integrated GPU sharing host memory */
  KEEL_DEVICE_TYPE_NPU = 4,
  KEEL_DEVICE_TYPE_ACCEL = 5
} keel_device_type_e;
typedef uint32_t keel_device_type_t;

/* Capability bits of keel_device_properties_t.capabilities. */
#define KEEL_CAP_ASYNC ((uint64_t)1 << 0)           /* queue calls return before the work is done */
#define KEEL_CAP_HOST_PINNED ((uint64_t)1 << 1)     /* has a host-pinned memory space */
#define KEEL_CAP_UNIFIED ((uint64_t)1 << 2)         /* has a unified (host+device) memory space */
#define KEEL_CAP_IMPORT_HOST_PTR ((uint64_t)1 << 3) /* can wrap caller-owned host memory */
#define KEEL_CAP_GRAPHS ((uint64_t)1 << 4)          /* implements the compile tier */
#define KEEL_CAP_COLLECTIVES ((uint64_t)1 << 5)
#define KEEL_CAP_F16 ((uint64_t)1 << 6)
#define KEEL_CAP_BF16 ((uint64_t)1 << 7)
#define KEEL_CAP_F64 ((uint64_t)1 << 8)
#define KEEL_CAP_INT8 ((uint64_t)1 << 9)

/* Device properties. The caller sets struct_size; the filler writes only the fields that fit. Strings are
 * owned by the plugin and live as long as the device. */
typedef struct keel_device_properties_t {
  size_t struct_size;
  const keel_ext_t* next;
  const char* name;           /* e.g. "AMD EPYC (2 cores)" */
  const char* vendor;         /* e.g. "AMD" */
  keel_device_type_t type;
  uint8_t uuid[16];           /* stable across processes; all zero when unknown */
  uint8_t uuid_is_set;
  uint8_t pci_bus_id_is_set;
  char pci_bus_id[16];        /* "dddd:bb:dd.f" when set; lets the core spot one device seen by two plugins */
  uint64_t memory_bytes;      /* total memory of the default memory space */
  uint64_t capabilities;      /* KEEL_CAP_* bits */
  uint32_t compute_units;     /* cores, SMs, CUs; 0 when unknown */
  uint32_t memory_space_count;
} keel_device_properties_t;

KEEL_ASSERT_LAYOUT(device_properties_name, offsetof(keel_device_properties_t, name) == 2 * sizeof(void*));

/* A key-value attribute of a device (driver version, ISA, build flags...). Both strings are owned by the
 * plugin and live as long as the device. */
typedef struct keel_attribute_t {
  const char* key;
  const char* value;
} keel_attribute_t;

/* ---- Memory -------------------------------------------------------------------------------------------- */

typedef enum keel_memory_kind_e {
  KEEL_MEMORY_KIND_DEVICE = 0,      /* device-local; may not be host-accessible */
  KEEL_MEMORY_KIND_HOST_PINNED = 1, /* host memory the device reaches directly */
  KEEL_MEMORY_KIND_UNIFIED = 2      /* one address space for host and device */
} keel_memory_kind_e;
typedef uint32_t keel_memory_kind_t;

typedef struct keel_memory_space_properties_t {
  size_t struct_size;
  const keel_ext_t* next;
  const char* name;        /* owned by the plugin; lives as long as the device */
  keel_memory_kind_t kind;
  uint8_t host_accessible; /* buffers here come with a host pointer */
  uint64_t capacity_bytes; /* 0 when unknown */
  uint64_t min_alignment;  /* alignment every allocation gets at least */
} keel_memory_space_properties_t;

/* Memory statistics; mandatory for every memory space. */
typedef struct keel_memory_stats_t {
  size_t struct_size;
  uint64_t bytes_in_use;    /* bytes held by live buffers (as requested by the caller) */
  uint64_t bytes_limit;     /* the most this space will hand out; 0 when unknown */
  uint64_t peak_bytes_in_use; /* since creation or the last reset_peak */
  uint64_t allocation_count;  /* live buffers */
} keel_memory_stats_t;

typedef struct keel_buffer_allocate_args_t {
  size_t struct_size;
  const keel_ext_t* next;
  uint32_t memory_space; /* index below the device's memory_space_count */
  uint32_t flags;        /* KEEL_ALLOCATE_* */
  uint64_t size;         /* bytes; 0 is valid and yields a distinct, empty buffer */
  uint64_t alignment;    /* power of two, or 0 for the space's minimum */
} keel_buffer_allocate_args_t;

#define KEEL_ALLOCATE_ZERO_INIT 1u /* the buffer starts filled with zero bytes */

/* ---- Queues ------------------------------------------------------------------------------------------- */

typedef struct keel_queue_create_args_t {
  size_t struct_size;
  const keel_ext_t* next;
  uint32_t flags;    /* reserved, 0 */
  int32_t priority;  /* 0 normal; hint only */
} keel_queue_create_args_t;

/* ---- Events -------------------------------------------------------------------------------------------- */

/* host_wait timeout meaning "wait forever". */
#define KEEL_WAIT_INFINITE UINT64_MAX

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KEEL_TYPES_H_ */
