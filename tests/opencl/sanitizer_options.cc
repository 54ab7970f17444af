// Sanitizer settings for the OpenCL tests; read only when the sanitizer runtimes are linked.
//
// allocator_may_return_null: impossible allocations must come back as RESOURCE_EXHAUSTED, not abort.
// Leak suppressions cover third-party code only: the OpenCL ICD loader and PoCL keep process-lifetime
// state (platform and device lists, the LLVM compiler's caches) that they never free, by design.
extern "C" const char* __asan_default_options();
extern "C" const char* __lsan_default_suppressions();

extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }

extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpocl.so\n"
         "leak:libOpenCL.so\n"
         "leak:libLLVM\n"
         "leak:libclang\n";
}
