// Serialized graphs (schema: ir_spec/graph_ir.md). Two forms of one model: readable JSON and a compact binary
// form (magic, format version, length-prefixed sections, CRC-32). Loading never trusts the input: a
// truncated, corrupted, hostile or newer-version file throws keel::Error (INVALID_ARGUMENT, or DATA_LOSS for
// a checksum or length mismatch) with a message saying what is wrong and where; it never crashes, and it
// allocates no more than the file's own size suggests. Loaded graphs pass validate_structure().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ir/graph.h"

namespace keel::graph {

// The version of the serialized forms this library writes and reads.
inline constexpr uint32_t kGraphFormatVersion = 1;
// The binary form starts with these 8 bytes.
inline constexpr char kGraphMagic[8] = {'K', 'E', 'E', 'L', 'G', 'R', 'P', 'H'};

enum class GraphFormat { kJson, kBinary };

std::string to_json(const Graph& graph, int indent = 2);
Graph from_json(std::string_view text);

std::vector<uint8_t> to_binary(const Graph& graph);
Graph from_binary(std::span<const uint8_t> bytes);

// By content: the binary magic, else JSON.
Graph load_graph_bytes(std::span<const uint8_t> bytes);
// Files: the format follows the content on load; on save, `.json` writes JSON and anything else binary.
Graph load_graph(const std::string& path);
void save_graph(const Graph& graph, const std::string& path);
void save_graph(const Graph& graph, const std::string& path, GraphFormat format);

// Whole-file read with a size limit (INVALID_ARGUMENT above `limit` bytes, NOT_FOUND for a missing file).
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t limit = uint64_t{1} << 34);
void write_file_bytes(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace keel::graph
