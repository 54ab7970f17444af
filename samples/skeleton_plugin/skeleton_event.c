/* Timeline events: a value that only grows, an error state, and host waits with a timeout.
 *
 * TODO(vendor): back the event with your driver's semaphore or fence when queue work runs on the device;
 * the host-side contract below stays the same. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "skeleton.h"

/* Timeouts this long (~146 years) are treated as infinite, which keeps the deadline arithmetic in range. */
#define SKELETON_FOREVER_NS ((uint64_t)1 << 62)

keel_status_t skeleton_event_create(keel_plugin_device_t* device, uint64_t initial_value,
                                    keel_plugin_event_t** out_event) {
  pthread_condattr_t attributes;
  keel_plugin_event_t* event = calloc(1, sizeof *event);
  if (event == NULL) return skeleton_error(device, KEEL_STATUS_RESOURCE_EXHAUSTED, "out of host memory");
  event->device = device;
  event->value = initial_value;
  event->error_code = KEEL_STATUS_OK;
  pthread_mutex_init(&event->mutex, NULL);
  /* Deadlines on the monotonic clock, so a change of wall-clock time does not stretch a wait. */
  pthread_condattr_init(&attributes);
  pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
  pthread_cond_init(&event->changed, &attributes);
  pthread_condattr_destroy(&attributes);
  *out_event = event;
  return NULL;
}

void skeleton_event_release(keel_plugin_event_t* event) {
  pthread_cond_destroy(&event->changed);
  pthread_mutex_destroy(&event->mutex);
  free(event);
}

/* The event's error as a new status. Call with the mutex held. */
static keel_status_t error_locked(const keel_plugin_event_t* event) {
  return skeleton_error(event->device, event->error_code, event->error_message);
}

keel_status_t skeleton_event_signal(keel_plugin_event_t* event, uint64_t value) {
  keel_status_t status = NULL;
  pthread_mutex_lock(&event->mutex);
  if (event->error_code != KEEL_STATUS_OK) {
    status = error_locked(event);
  } else if (value < event->value) {
    status = skeleton_error(event->device, KEEL_STATUS_INVALID_ARGUMENT, "an event's value never goes back");
  } else {
    event->value = value;
    pthread_cond_broadcast(&event->changed);
  }
  pthread_mutex_unlock(&event->mutex);
  return status;
}

keel_status_t skeleton_event_query(keel_plugin_event_t* event, uint64_t* out_value) {
  keel_status_t status = NULL;
  pthread_mutex_lock(&event->mutex);
  if (event->error_code != KEEL_STATUS_OK) {
    status = error_locked(event);
  } else {
    *out_value = event->value;
  }
  pthread_mutex_unlock(&event->mutex);
  return status;
}

static struct timespec deadline_after(uint64_t timeout_ns) {
  struct timespec deadline;
  uint64_t nanoseconds;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  nanoseconds = (uint64_t)deadline.tv_nsec + timeout_ns % 1000000000u;
  deadline.tv_sec += (time_t)(timeout_ns / 1000000000u + nanoseconds / 1000000000u);
  deadline.tv_nsec = (long)(nanoseconds % 1000000000u);
  return deadline;
}

keel_status_t skeleton_event_host_wait(keel_plugin_event_t* event, uint64_t value, uint64_t timeout_ns,
                                       uint8_t* out_reached) {
  const int forever = timeout_ns >= SKELETON_FOREVER_NS;
  const struct timespec deadline = deadline_after(forever ? 0 : timeout_ns);
  keel_status_t status = NULL;
  int timed_out = 0;
  pthread_mutex_lock(&event->mutex);
  while (event->error_code == KEEL_STATUS_OK && event->value < value && !timed_out) {
    if (forever) {
      pthread_cond_wait(&event->changed, &event->mutex);
    } else {
      timed_out = pthread_cond_timedwait(&event->changed, &event->mutex, &deadline) == ETIMEDOUT;
    }
  }
  *out_reached = event->error_code == KEEL_STATUS_OK && event->value >= value;
  if (event->error_code != KEEL_STATUS_OK) status = error_locked(event);
  pthread_mutex_unlock(&event->mutex);
  return status;
}

keel_status_t skeleton_event_fail(keel_plugin_event_t* event, keel_status_code_t code, const char* message) {
  if (code == KEEL_STATUS_OK || code > KEEL_STATUS_DATA_LOSS) {
    return skeleton_error(event->device, KEEL_STATUS_INVALID_ARGUMENT, "event_fail needs an error code");
  }
  pthread_mutex_lock(&event->mutex);
  if (event->error_code == KEEL_STATUS_OK) { /* the first failure wins */
    event->error_code = code;
    strncpy(event->error_message, message != NULL ? message : "", sizeof event->error_message - 1);
    pthread_cond_broadcast(&event->changed);
  }
  pthread_mutex_unlock(&event->mutex);
  return NULL;
}
