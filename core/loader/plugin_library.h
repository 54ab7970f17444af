// A dlopen'ed plugin library. Opened with RTLD_NOW | RTLD_LOCAL so missing symbols fail at load time and
// two plugins never see each other's symbols.
#pragma once

#include <memory>
#include <string>

namespace keel::loader {

class PluginLibrary {
 public:
  // nullptr on failure, with dlerror's text in *error.
  static std::unique_ptr<PluginLibrary> open(const std::string& path, std::string* error);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // nullptr when the library does not export `name`.
  void* symbol(const char* name) const;

 private:
  explicit PluginLibrary(void* handle) : handle_(handle) {}
  void* handle_;
};

}  // namespace keel::loader
