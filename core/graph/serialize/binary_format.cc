// The binary form of a graph (ir_spec/graph_ir.md): a header (magic, format version, flags, body length),
// the body as length-prefixed sections, and a CRC-32 of the body. Values are referenced by index.
#include <map>

#include "graph/serialize/byte_io.h"
#include "graph/serialize/encoding.h"
#include "graph/serialize/graph_file.h"
#include "graph/validate/validator.h"

namespace keel::graph {
namespace {

constexpr size_t kHeaderBytes = 24;   // magic, version, flags, body length
constexpr size_t kTrailerBytes = 4;   // CRC-32 of the body
constexpr uint32_t kMaxItems = 1u << 24;

constexpr uint32_t tag(const char (&name)[5]) {
  return static_cast<uint32_t>(name[0]) | static_cast<uint32_t>(name[1]) << 8 | static_cast<uint32_t>(name[2]) << 16 |
         static_cast<uint32_t>(name[3]) << 24;
}
constexpr uint32_t kInfo = tag("INFO");
constexpr uint32_t kValues = tag("VALS");
constexpr uint32_t kIo = tag("IOIO");
constexpr uint32_t kNodes = tag("NODE");

std::string tag_name(uint32_t t) {
  std::string s(4, '?');
  for (int k = 0; k < 4; ++k) {
    const char c = static_cast<char>((t >> (8 * k)) & 0xff);
    s[static_cast<size_t>(k)] = (c >= 32 && c < 127) ? c : '?';
  }
  return s;
}

enum DimKind : uint8_t { kStatic = 0, kSymbol = 1, kUnknown = 2 };
enum ValueFlags : uint8_t { kRankKnown = 1, kHasData = 2 };

// ---- Writing --------------------------------------------------------------------------------------------

void write_attrs(ByteWriter& w, const AttrMap& attrs) {
  w.u32(static_cast<uint32_t>(attrs.size()));
  for (const auto& [name, a] : attrs) {
    w.str(name);
    w.u8(static_cast<uint8_t>(a.kind));
    switch (a.kind) {
      case AttrValue::Kind::kInt: w.i64(a.i); break;
      case AttrValue::Kind::kBool: w.u8(a.i != 0 ? 1 : 0); break;
      case AttrValue::Kind::kFloat: w.f64(a.f); break;
      case AttrValue::Kind::kInts:
        w.u32(static_cast<uint32_t>(a.ints.size()));
        for (int64_t v : a.ints) w.i64(v);
        break;
      case AttrValue::Kind::kFloats:
        w.u32(static_cast<uint32_t>(a.floats.size()));
        for (double v : a.floats) w.f64(v);
        break;
      case AttrValue::Kind::kDtype: w.u32(a.dtype); break;
      case AttrValue::Kind::kEnum: w.str(a.text); break;
      case AttrValue::Kind::kValueRef:
        w.i32(a.ref);
        w.i64(a.element);
        break;
    }
  }
}

void write_ids(ByteWriter& w, const std::vector<ValueId>& ids) {
  w.u32(static_cast<uint32_t>(ids.size()));
  for (ValueId id : ids) w.i32(id);
}

void section(ByteWriter& body, uint32_t t, ByteWriter& payload) {
  body.u32(t);
  body.u64(payload.bytes().size());
  body.raw(payload.bytes().data(), payload.bytes().size());
}

// ---- Reading --------------------------------------------------------------------------------------------

AttrMap read_attrs(ByteReader& r) {
  AttrMap attrs;
  const uint32_t count = r.count(5, "attributes");
  for (uint32_t i = 0; i < count; ++i) {
    std::string name = r.str(4096);
    const uint8_t kind = r.u8();
    AttrValue a;
    switch (static_cast<AttrValue::Kind>(kind)) {
      case AttrValue::Kind::kInt: a = AttrValue::of_int(r.i64()); break;
      case AttrValue::Kind::kBool: a = AttrValue::of_bool(r.u8() != 0); break;
      case AttrValue::Kind::kFloat: a = AttrValue::of_float(r.f64()); break;
      case AttrValue::Kind::kInts: {
        const uint32_t n = r.count(8, "list entries");
        std::vector<int64_t> list(n);
        for (int64_t& v : list) v = r.i64();
        a = AttrValue::of_ints(std::move(list));
        break;
      }
      case AttrValue::Kind::kFloats: {
        const uint32_t n = r.count(8, "list entries");
        std::vector<double> list(n);
        for (double& v : list) v = r.f64();
        a = AttrValue::of_floats(std::move(list));
        break;
      }
      case AttrValue::Kind::kDtype: a = AttrValue::of_dtype(r.u32()); break;
      case AttrValue::Kind::kEnum: a = AttrValue::of_enum(r.str(4096)); break;
      case AttrValue::Kind::kValueRef: {
        const ValueId ref = r.i32();
        const int64_t element = r.i64();
        if (element < -1) r.bad("attribute '" + name + "' binds a negative element");
        a = AttrValue::of_ref(ref, element);
        break;
      }
      default: r.bad("attribute '" + name + "' has unknown kind " + std::to_string(kind));
    }
    if (!attrs.emplace(std::move(name), std::move(a)).second) r.bad("an attribute is listed twice");
  }
  return attrs;
}

std::vector<ValueId> read_ids(ByteReader& r, const char* of) {
  const uint32_t n = r.count(4, of);
  std::vector<ValueId> ids(n);
  for (ValueId& id : ids) id = r.i32();
  return ids;
}

void read_info(ByteReader& r, Graph& graph) {
  graph.name = r.str();
  (void)r.str();  // the spec version the graph was written with (informational)
  const uint32_t count = r.count(8, "metadata entries");
  for (uint32_t i = 0; i < count; ++i) {
    std::string key = r.str();
    graph.metadata[key] = r.str(1u << 24);
  }
}

void read_values(ByteReader& r, Graph& graph) {
  const uint32_t count = r.count(10, "values");
  if (count > kMaxItems) r.bad("too many values");
  for (uint32_t i = 0; i < count; ++i) {
    Value v;
    v.name = r.str(4096);
    v.type.dtype = r.u32();
    if (v.type.dtype != KEEL_DTYPE_INVALID && dtype_bytes(v.type.dtype) == 0) {
      r.bad("value '" + v.name + "' has unknown dtype " + std::to_string(v.type.dtype));
    }
    const uint8_t flags = r.u8();
    if (flags & ~(kRankKnown | kHasData)) r.bad("value '" + v.name + "' has unknown flags");
    v.type.rank_known = (flags & kRankKnown) != 0;
    const uint8_t rank = r.u8();
    if (rank > KEEL_MAX_RANK) r.bad("value '" + v.name + "' has rank " + std::to_string(rank) + ", above 8");
    for (uint8_t d = 0; d < rank; ++d) {
      const uint8_t kind = r.u8();
      if (kind == kStatic) {
        const int64_t dim = r.i64();
        if (dim < 0) r.bad("value '" + v.name + "' has a negative dimension");
        v.type.dims.push_back(Dim::of(dim));
      } else if (kind == kSymbol) {
        v.type.dims.push_back(Dim::named(r.str(4096)));
      } else if (kind == kUnknown) {
        v.type.dims.push_back(Dim::unknown());
      } else {
        r.bad("value '" + v.name + "' has a dimension of unknown kind");
      }
    }
    if (flags & kHasData) {
      if (!v.type.is_static()) r.bad("constant '" + v.name + "' needs a dtype and a static shape");
      const uint64_t size = r.u64();
      if (size != v.type.byte_size()) {
        r.bad("constant '" + v.name + "' declares " + std::to_string(size) + " bytes, " + format_type(v.type) +
              " needs " + std::to_string(v.type.byte_size()));
      }
      std::span<const uint8_t> data = r.take(size);
      v.constant = std::make_shared<const HostTensor>(v.type.dtype, v.type.shape(),
                                                      std::vector<uint8_t>(data.begin(), data.end()));
    }
    graph.values.push_back(std::move(v));
  }
}

void read_nodes(ByteReader& r, Graph& graph) {
  const uint32_t count = r.count(24, "nodes");
  if (count > kMaxItems) r.bad("too many nodes");
  for (uint32_t i = 0; i < count; ++i) {
    Node n;
    n.name = r.str(4096);
    n.op = r.str(256);
    n.version = r.u32();
    n.device = r.str(256);
    n.inputs = read_ids(r, "inputs");
    n.outputs = read_ids(r, "outputs");
    n.attrs = read_attrs(r);
    const uint32_t steps = r.count(12, "fused steps");
    for (uint32_t s = 0; s < steps; ++s) {
      FusedStep step;
      step.op = r.str(256);
      step.schema = spec::find_op(step.op);
      const uint32_t inputs = r.count(4, "step inputs");
      for (uint32_t k = 0; k < inputs; ++k) step.inputs.push_back(r.i32());
      step.attrs = read_attrs(r);
      step.dtype = r.u32();
      n.body.push_back(std::move(step));
    }
    graph.nodes.push_back(std::move(n));
  }
}

}  // namespace

std::vector<uint8_t> to_binary(const Graph& graph) {
  ByteWriter body;
  {
    ByteWriter p;
    p.str(graph.name);
    p.str(spec::spec_version());
    p.u32(static_cast<uint32_t>(graph.metadata.size()));
    for (const auto& [key, value] : graph.metadata) {
      p.str(key);
      p.str(value);
    }
    section(body, kInfo, p);
  }
  {
    ByteWriter p;
    p.u32(static_cast<uint32_t>(graph.values.size()));
    for (const Value& v : graph.values) {
      p.str(v.name);
      p.u32(v.type.dtype);
      p.u8(static_cast<uint8_t>((v.type.rank_known ? kRankKnown : 0) | (v.is_constant() ? kHasData : 0)));
      p.u8(static_cast<uint8_t>(v.type.dims.size()));
      for (const Dim& d : v.type.dims) {
        if (d.is_static()) {
          p.u8(kStatic);
          p.i64(d.value);
        } else if (!d.symbol.empty()) {
          p.u8(kSymbol);
          p.str(d.symbol);
        } else {
          p.u8(kUnknown);
        }
      }
      if (v.is_constant()) {
        p.u64(v.constant->nbytes());
        p.raw(v.constant->data(), v.constant->nbytes());
      }
    }
    section(body, kValues, p);
  }
  {
    ByteWriter p;
    write_ids(p, graph.inputs);
    write_ids(p, graph.outputs);
    section(body, kIo, p);
  }
  {
    ByteWriter p;
    p.u32(static_cast<uint32_t>(graph.nodes.size()));
    for (const Node& n : graph.nodes) {
      p.str(n.name);
      p.str(n.op);
      p.u32(n.version);
      p.str(n.device);
      write_ids(p, n.inputs);
      write_ids(p, n.outputs);
      write_attrs(p, n.attrs);
      p.u32(static_cast<uint32_t>(n.body.size()));
      for (const FusedStep& step : n.body) {
        p.str(step.op);
        p.u32(static_cast<uint32_t>(step.inputs.size()));
        for (int32_t k : step.inputs) p.i32(k);
        write_attrs(p, step.attrs);
        p.u32(step.dtype);
      }
    }
    section(body, kNodes, p);
  }
  ByteWriter out;
  out.raw(kGraphMagic, sizeof(kGraphMagic));
  out.u32(kGraphFormatVersion);
  out.u32(0);
  out.u64(body.bytes().size());
  out.raw(body.bytes().data(), body.bytes().size());
  out.u32(crc32(body.bytes()));
  return std::move(out.bytes());
}

Graph from_binary(std::span<const uint8_t> bytes) {
  ByteReader header(bytes, "graph binary");
  std::span<const uint8_t> magic = header.take(sizeof(kGraphMagic));
  if (std::memcmp(magic.data(), kGraphMagic, sizeof(kGraphMagic)) != 0) header.bad("not a Keel graph (bad magic)");
  const uint32_t version = header.u32();
  if (version != kGraphFormatVersion) {
    header.bad("format version " + std::to_string(version) + " is not supported (this library reads version " +
               std::to_string(kGraphFormatVersion) + ")");
  }
  if (header.u32() != 0) header.bad("unknown header flags");
  const uint64_t length = header.u64();
  if (length != bytes.size() - std::min(bytes.size(), kHeaderBytes + kTrailerBytes) ||
      bytes.size() < kHeaderBytes + kTrailerBytes) {
    fail(KEEL_STATUS_DATA_LOSS, "graph binary: the header declares a body of " + std::to_string(length) +
                                    " bytes, the file holds " +
                                    std::to_string(bytes.size() - std::min(bytes.size(), kHeaderBytes + kTrailerBytes)) +
                                    " (truncated or with trailing bytes)");
  }
  std::span<const uint8_t> body = header.take(length);
  const uint32_t stored = header.u32();
  if (crc32(body) != stored) fail(KEEL_STATUS_DATA_LOSS, "graph binary: checksum mismatch (the file is corrupted)");

  Graph graph;
  ByteReader r(body, "graph binary", kHeaderBytes);
  std::map<uint32_t, std::span<const uint8_t>> sections;
  std::map<uint32_t, size_t> offsets;
  while (!r.done()) {
    const uint32_t t = r.u32();
    const uint64_t size = r.u64();
    const size_t at = r.offset();
    std::span<const uint8_t> payload = r.take(size);
    if (!sections.emplace(t, payload).second) r.bad("section " + tag_name(t) + " appears twice");
    offsets[t] = at;
  }
  for (uint32_t required : {kInfo, kValues, kIo, kNodes}) {
    if (sections.find(required) == sections.end()) {
      fail_invalid("graph binary: the required section " + tag_name(required) + " is missing");
    }
  }
  auto parse = [&](uint32_t t, auto&& body_fn) {
    ByteReader s(sections[t], "graph binary: section " + tag_name(t), offsets[t]);
    body_fn(s);
    if (!s.done()) s.bad(std::to_string(s.remaining()) + " unread bytes at the end of the section");
  };
  parse(kInfo, [&](ByteReader& s) { read_info(s, graph); });
  parse(kValues, [&](ByteReader& s) { read_values(s, graph); });
  parse(kIo, [&](ByteReader& s) {
    graph.inputs = read_ids(s, "graph inputs");
    graph.outputs = read_ids(s, "graph outputs");
  });
  parse(kNodes, [&](ByteReader& s) { read_nodes(s, graph); });
  graph.rebuild_producers();
  validate_structure(graph);
  return graph;
}

}  // namespace keel::graph
