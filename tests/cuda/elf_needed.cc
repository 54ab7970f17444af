#include "elf_needed.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace keel::test {
namespace {

template <class T>
bool ReadAt(const std::vector<char>& file, uint64_t offset, T* out) {
  if (offset > file.size() || sizeof(T) > file.size() - offset) return false;
  std::memcpy(out, file.data() + offset, sizeof(T));
  return true;
}

}  // namespace

bool ReadElfNeeded(const std::string& path, std::vector<std::string>* out, std::string* error) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    *error = "cannot open " + path;
    return false;
  }
  const std::vector<char> file((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  Elf64_Ehdr header{};
  if (!ReadAt(file, 0, &header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
      header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
    *error = path + " is not a 64-bit little-endian ELF file";
    return false;
  }
  for (uint16_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section{};
    if (!ReadAt(file, header.e_shoff + uint64_t{i} * header.e_shentsize, &section)) break;
    if (section.sh_type != SHT_DYNAMIC) continue;
    Elf64_Shdr strings{};
    if (!ReadAt(file, header.e_shoff + uint64_t{section.sh_link} * header.e_shentsize, &strings)) break;
    out->clear();
    for (uint64_t at = 0; at + sizeof(Elf64_Dyn) <= section.sh_size; at += sizeof(Elf64_Dyn)) {
      Elf64_Dyn entry{};
      if (!ReadAt(file, section.sh_offset + at, &entry) || entry.d_tag == DT_NULL) break;
      if (entry.d_tag != DT_NEEDED) continue;
      const uint64_t name = strings.sh_offset + entry.d_un.d_val;
      if (name >= file.size()) break;
      out->emplace_back(file.data() + name, strnlen(file.data() + name, file.size() - name));
    }
    return true;
  }
  *error = path + " has no dynamic section";
  return false;
}

}  // namespace keel::test
