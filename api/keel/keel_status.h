/* Keel ABI v1: status codes and the status handle.
 *
 * Every Keel call, on either side of the ABI, returns a keel_status_t: NULL means OK, anything else is an
 * owned status object holding a code, a message and the name of its source (a plugin or "keel"). A status
 * must be consumed: the receiver releases it (frameworks with keel_status_release() from keel_runtime.h,
 * plugins with keel_host_api_t.status_release).
 *
 * Plain C99; no symbol is defined here, so both plugins and frameworks include it.
 */
#ifndef KEEL_STATUS_H_
#define KEEL_STATUS_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The closed set of status codes. Values are part of the ABI and never change. */
typedef enum keel_status_code_e {
  KEEL_STATUS_OK = 0,
  KEEL_STATUS_CANCELLED = 1,
  KEEL_STATUS_INVALID_ARGUMENT = 2,   /* the caller passed something malformed */
  KEEL_STATUS_NOT_FOUND = 3,
  KEEL_STATUS_ALREADY_EXISTS = 4,
  KEEL_STATUS_PERMISSION_DENIED = 5,
  KEEL_STATUS_RESOURCE_EXHAUSTED = 6, /* out of memory, out of handles */
  KEEL_STATUS_FAILED_PRECONDITION = 7,
  KEEL_STATUS_OUT_OF_RANGE = 8,
  KEEL_STATUS_UNIMPLEMENTED = 9,      /* not written (yet): conformance counts it as missing */
  KEEL_STATUS_INTERNAL = 10,
  KEEL_STATUS_UNAVAILABLE = 11,       /* not on this system (no driver, no device): conformance skips it */
  KEEL_STATUS_DEVICE_LOST = 12,
  KEEL_STATUS_DATA_LOSS = 13
} keel_status_code_e;

/* Status codes cross the ABI as uint32_t holding a keel_status_code_e value. */
typedef uint32_t keel_status_code_t;

/* Opaque status object. NULL is OK. Owned by whoever receives it. */
typedef struct keel_status_s* keel_status_t;

/* Marks functions whose status must not be dropped. */
#if defined(__GNUC__) || defined(__clang__)
#define KEEL_MUST_USE_RESULT __attribute__((warn_unused_result))
#else
#define KEEL_MUST_USE_RESULT
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KEEL_STATUS_H_ */
