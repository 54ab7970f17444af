// Reads the DT_NEEDED entries (the shared libraries a library asks the dynamic linker for) of a 64-bit ELF
// file: what `ldd` would start from, without running anything.
#pragma once

#include <string>
#include <vector>

namespace keel::test {

// False with *error set when `path` is not a 64-bit little-endian ELF file with a dynamic section.
bool ReadElfNeeded(const std::string& path, std::vector<std::string>* out, std::string* error);

}  // namespace keel::test
