#include "layers/abi/elf_symbols.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace keel::conform {
namespace {

template <typename T>
bool read_at(const std::vector<char>& bytes, uint64_t offset, T* out) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  std::memcpy(out, bytes.data() + offset, sizeof(T));
  return true;
}

bool refuse(std::string* error, const std::string& path, const std::string& why) {
  *error = path + ": " + why;
  return false;
}

}  // namespace

bool read_elf_exports(const std::string& path, std::set<std::string>* out, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return refuse(error, path, "cannot open");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());

  Elf64_Ehdr header;
  if (!read_at(bytes, 0, &header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    return refuse(error, path, "not an ELF file");
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return refuse(error, path, "only 64-bit little-endian ELF files are supported");
  }
  if (header.e_shentsize != sizeof(Elf64_Shdr)) return refuse(error, path, "unexpected section header size");

  std::vector<Elf64_Shdr> sections(header.e_shnum);
  for (uint16_t i = 0; i < header.e_shnum; ++i) {
    if (!read_at(bytes, header.e_shoff + uint64_t{i} * sizeof(Elf64_Shdr), &sections[i])) {
      return refuse(error, path, "truncated section headers");
    }
  }
  for (const Elf64_Shdr& section : sections) {
    if (section.sh_type != SHT_DYNSYM) continue;
    if (section.sh_link >= sections.size() || section.sh_entsize != sizeof(Elf64_Sym)) {
      return refuse(error, path, "malformed .dynsym");
    }
    const Elf64_Shdr& strings = sections[section.sh_link];
    out->clear();
    for (uint64_t at = 0; at + sizeof(Elf64_Sym) <= section.sh_size; at += sizeof(Elf64_Sym)) {
      Elf64_Sym symbol;
      if (!read_at(bytes, section.sh_offset + at, &symbol)) return refuse(error, path, "truncated .dynsym");
      const unsigned binding = ELF64_ST_BIND(symbol.st_info);
      const unsigned type = ELF64_ST_TYPE(symbol.st_info);
      const bool exported = binding == STB_GLOBAL || binding == STB_WEAK || binding == STB_GNU_UNIQUE;
      const bool defined = symbol.st_shndx != SHN_UNDEF;
      if (!exported || !defined || type == STT_SECTION || type == STT_FILE) continue;
      if (symbol.st_name >= strings.sh_size) return refuse(error, path, "symbol name outside the string table");
      const uint64_t name_at = strings.sh_offset + symbol.st_name;
      if (name_at >= bytes.size()) return refuse(error, path, "truncated string table");
      out->insert(std::string(bytes.data() + name_at, strnlen(bytes.data() + name_at, bytes.size() - name_at)));
    }
    return true;
  }
  return refuse(error, path, "no .dynsym section");
}

}  // namespace keel::conform
