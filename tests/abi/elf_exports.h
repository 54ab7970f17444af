// Reads the defined, exported symbols of an ELF shared library from its .dynsym table. No tools needed:
// this is what the export check runs on every plugin.
#ifndef KEEL_TESTS_ABI_ELF_EXPORTS_H_
#define KEEL_TESTS_ABI_ELF_EXPORTS_H_

#include <set>
#include <string>

namespace keel::test {

// The names of the global and weak symbols that `path` defines in its dynamic symbol table (functions and
// objects; not section or file symbols). False with *error set when the file is not a 64-bit
// little-endian ELF file with a .dynsym section.
bool ReadElfExports(const std::string& path, std::set<std::string>* out, std::string* error);

}  // namespace keel::test

#endif  // KEEL_TESTS_ABI_ELF_EXPORTS_H_
