#include "graph/serialize/graph_file.h"

#include <cstring>
#include <fstream>

#include "graph/ir/errors.h"

namespace keel::graph {

Graph load_graph_bytes(std::span<const uint8_t> bytes) {
  if (bytes.size() >= sizeof(kGraphMagic) && std::memcmp(bytes.data(), kGraphMagic, sizeof(kGraphMagic)) == 0) {
    return from_binary(bytes);
  }
  return from_json(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Graph load_graph(const std::string& path) {
  try {
    return load_graph_bytes(read_file_bytes(path));
  } catch (const Error& error) {
    throw Error(error.code(), path + ": " + error_text(error), error.source());
  }
}

void save_graph(const Graph& graph, const std::string& path, GraphFormat format) {
  if (format == GraphFormat::kJson) {
    const std::string text = to_json(graph) + "\n";
    write_file_bytes(path, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  } else {
    write_file_bytes(path, to_binary(graph));
  }
}

void save_graph(const Graph& graph, const std::string& path) {
  const bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  save_graph(graph, path, json ? GraphFormat::kJson : GraphFormat::kBinary);
}

std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t limit) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail(KEEL_STATUS_NOT_FOUND, "cannot open '" + path + "'");
  const std::streamoff size = in.tellg();
  if (size < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "cannot read '" + path + "'");
  if (static_cast<uint64_t>(size) > limit) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "'" + path + "' is " + std::to_string(size) + " bytes, above the limit of " +
                                           std::to_string(limit));
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    fail(KEEL_STATUS_DATA_LOSS, "reading '" + path + "' failed");
  }
  return bytes;
}

void write_file_bytes(const std::string& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(KEEL_STATUS_NOT_FOUND, "cannot create '" + path + "'");
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) fail(KEEL_STATUS_DATA_LOSS, "writing '" + path + "' failed");
}

}  // namespace keel::graph
