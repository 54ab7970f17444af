// keel_export_check <library>...: exits 0 when every library exports exactly keel_plugin_probe and
// keel_plugin_init, else prints what is wrong. Used on plugins built outside this tree (the skeleton).
#include <cstdio>
#include <set>
#include <string>

#include "elf_exports.h"

int main(int argc, char** argv) {
  const std::set<std::string> expected = {"keel_plugin_init", "keel_plugin_probe"};
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    std::set<std::string> exports;
    std::string error;
    if (!keel::test::ReadElfExports(argv[i], &exports, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      ++failures;
      continue;
    }
    for (const std::string& name : expected) {
      if (exports.count(name) == 0) std::fprintf(stderr, "%s: does not export %s\n", argv[i], name.c_str());
    }
    for (const std::string& name : exports) {
      if (expected.count(name) == 0) std::fprintf(stderr, "%s: also exports %s\n", argv[i], name.c_str());
    }
    if (exports != expected) {
      ++failures;
    } else {
      std::printf("%s: exports exactly keel_plugin_probe and keel_plugin_init\n", argv[i]);
    }
  }
  return argc > 1 && failures == 0 ? 0 : 1;
}
