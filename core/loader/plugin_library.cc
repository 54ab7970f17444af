#include "loader/plugin_library.h"

#include <dlfcn.h>

namespace keel::loader {

std::unique_ptr<PluginLibrary> PluginLibrary::open(const std::string& path, std::string* error) {
  dlerror();  // clear any stale error
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* text = dlerror();
    *error = text != nullptr ? text : "dlopen failed";
    return nullptr;
  }
  return std::unique_ptr<PluginLibrary>(new PluginLibrary(handle));
}

PluginLibrary::~PluginLibrary() { dlclose(handle_); }

void* PluginLibrary::symbol(const char* name) const { return dlsym(handle_, name); }

}  // namespace keel::loader
