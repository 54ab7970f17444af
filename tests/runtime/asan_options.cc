// Under AddressSanitizer a failed malloc aborts by default. These tests check that impossible allocations
// come back as RESOURCE_EXHAUSTED, so let malloc return NULL as it does without the sanitizer. The hook is
// read only when the sanitizer runtime is linked; ASAN_OPTIONS still adds to it.
extern "C" const char* __asan_default_options();

extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }
