/* Shared by the fake driver's sources. */
#ifndef KEEL_TESTS_CUDA_FAKE_DRIVER_H_
#define KEEL_TESTS_CUDA_FAKE_DRIVER_H_

#define FAKE_EXPORT __attribute__((visibility("default")))

/* A driver entry point the plugin resolves but never reaches in these tests: CUDA_ERROR_NOT_SUPPORTED. */
#define FAKE_UNSUPPORTED(name) \
  FAKE_EXPORT int name(void) { return 801; }

#endif
