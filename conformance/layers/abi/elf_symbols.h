// Reads the exported symbols of an ELF shared library from its dynamic symbol table, without tools.
#pragma once

#include <set>
#include <string>

namespace keel::conform {

// The global, weak and unique symbols `path` defines in .dynsym (functions and objects; not sections or
// files). False with *error set when the file is not a 64-bit little-endian ELF file with a .dynsym.
bool read_elf_exports(const std::string& path, std::set<std::string>* out, std::string* error);

}  // namespace keel::conform
