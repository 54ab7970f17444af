// keel run: run a model on one device.
//
//   keel run MODEL --input NAME=FILE.npy ... --output-dir DIR [--device D] [--dump-passes] [--no-optimize]
//
// MODEL is an ONNX model (.onnx) or a Keel graph (.json or the binary .kgraph form). The model is imported,
// validated and optimized with graph::optimize (constants folded on the run device), then run by the graph
// executor; each output is written as DIR/<output name>.npy. Per-node timings and the memory plan summary
// go to stdout.
#include "cmd_run.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/exec/executor.h"
#include "graph/io/npy.h"
#include "graph/ir/errors.h"
#include "graph/ir/graph_text.h"
#include "graph/passes/pipeline.h"
#include "graph/serialize/graph_file.h"
#include "graph/validate/validator.h"
#include "onnx/onnx_import.h"

namespace keel::cli {
namespace {

constexpr const char* kUsage =
    "usage: keel run MODEL --input NAME=FILE.npy ... --output-dir DIR [options]\n"
    "\n"
    "MODEL is an ONNX model (.onnx) or a Keel graph (.json, .kgraph).\n"
    "\n"
    "options:\n"
    "  --input NAME=FILE   the value of graph input NAME, a .npy file; one per graph input\n"
    "  --output-dir DIR    where each output is written as <output name>.npy (created when missing)\n"
    "  --device D          the device to run on, e.g. reference:0 (default: the first device)\n"
    "  --dump-passes       print the graph after import and after each optimization pass\n"
    "  --no-optimize       run the graph as imported\n"
    "  --plugin-path, --no-env, --no-manifests, --manifest-dir   as for every keel command\n"
    "\n"
    "exit status: 0 success, 1 the model could not be loaded or run, 2 usage error\n";

struct Arguments {
  std::string model;
  std::vector<std::pair<std::string, std::string>> inputs;  // name, file
  std::string output_dir;
  std::string device;
  bool dump_passes = false;
  bool optimize = true;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "keel run: %s\n\n%s", message.c_str(), kUsage);
  return kExitUsage;
}

// Returns an exit code when parsing ends the command (help or an error).
std::optional<int> parse(int argc, char** args, Arguments* out) {
  for (int i = 0; i < argc; ++i) {
    const std::string arg = args[i];
    const auto value = [&](std::string* target) -> bool {
      if (i + 1 >= argc) return false;
      *target = args[++i];
      return true;
    };
    std::string text;
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (arg == "--input") {
      if (!value(&text)) return usage_error("--input needs NAME=FILE");
      const size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        return usage_error("--input '" + text + "' is not NAME=FILE");
      }
      out->inputs.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    } else if (arg == "--output-dir") {
      if (!value(&out->output_dir)) return usage_error("--output-dir needs a directory");
    } else if (arg == "--device") {
      if (!value(&out->device)) return usage_error("--device needs a device name");
    } else if (arg == "--dump-passes") {
      out->dump_passes = true;
    } else if (arg == "--no-optimize") {
      out->optimize = false;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "'");
    } else if (out->model.empty()) {
      out->model = arg;
    } else {
      return usage_error("unexpected argument '" + arg + "' (one model)");
    }
  }
  if (out->model.empty()) return usage_error("no model given");
  if (out->output_dir.empty()) return usage_error("--output-dir is required");
  return std::nullopt;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

graph::Graph load_model(const std::string& path) {
  if (ends_with(path, ".onnx")) return onnx_import::import_onnx(path);
  return graph::load_graph(path);
}

// The graph inputs in order, from the --input files; every input must be given once, and nothing else.
std::vector<graph::HostTensor> read_inputs(const graph::Graph& g, const Arguments& args) {
  std::map<std::string, std::string> files;
  for (const auto& [name, file] : args.inputs) {
    if (!files.emplace(name, file).second) graph::fail_invalid("input '" + name + "' is given twice");
  }
  std::vector<graph::HostTensor> out;
  std::string expected;
  for (graph::ValueId id : g.inputs) {
    const graph::Value& value = g.value(id);
    expected += (expected.empty() ? "" : ", ") + value.name + ": " + graph::format_type(value.type);
  }
  for (graph::ValueId id : g.inputs) {
    const std::string& name = g.value(id).name;
    const auto it = files.find(name);
    if (it == files.end())
      graph::fail_invalid("no --input for graph input '" + name + "' (the inputs: " + expected + ")");
    out.push_back(graph::read_npy(it->second));
    files.erase(it);
  }
  if (!files.empty()) {
    graph::fail_invalid("the graph has no input '" + files.begin()->first + "' (the inputs: " + expected + ")");
  }
  return out;
}

// A file name for an output value: path separators and other awkward characters become '_'.
std::string file_name(const std::string& value_name) {
  std::string out = value_name;
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == ':' || c == '\0') c = '_';
  }
  if (out.empty() || out == "." || out == "..") out = "output" + out;
  return out + ".npy";
}

int run(const GlobalOptions& options, const Arguments& args) {
  const Runtime runtime = Runtime::create(options.runtime);
  if (runtime.devices().empty()) {
    std::fprintf(stderr, "keel run: no device (see keel plugins)\n");
    return kExitFailure;
  }
  const std::string device =
      args.device.empty() ? runtime.devices().front().name() : runtime.find_device(args.device).name();

  graph::Graph g = load_model(args.model);
  if (args.dump_passes) std::printf("== imported\n%s\n", graph::format_graph(g).c_str());
  if (args.optimize) {
    graph::PipelineOptions pipeline;
    pipeline.runtime = &runtime;
    pipeline.fold.device = device;
    const std::vector<graph::PassResult> results =
        graph::optimize(g, pipeline, [&](const graph::PassResult& result, const graph::Graph& after) {
          if (args.dump_passes) {
            std::printf("== after %s: %s\n%s\n", result.pass.c_str(), result.summary.c_str(),
                        graph::format_graph(after).c_str());
          }
        });
    for (const graph::PassResult& result : results)
      std::printf("pass %-24s %s\n", result.pass.c_str(), result.summary.c_str());
  } else {
    graph::validate(g);
  }

  const std::vector<graph::HostTensor> inputs = read_inputs(g, args);
  graph::ExecutorOptions exec;
  exec.device = device;
  graph::Executor executor(runtime, std::move(g), exec);
  const std::vector<graph::HostTensor> outputs = executor.run(inputs);

  std::filesystem::create_directories(args.output_dir);
  const graph::Graph& ran = executor.graph();
  for (size_t i = 0; i < outputs.size(); ++i) {
    const graph::Value& value = ran.value(ran.outputs[i]);
    const std::string path = (std::filesystem::path(args.output_dir) / file_name(value.name)).string();
    graph::write_npy(outputs[i], path);
    std::printf("output %s: %s -> %s\n", value.name.c_str(), graph::format_shape(outputs[i].shape()).c_str(),
                path.c_str());
  }

  Table table({"node", "op", "device", "ms"});
  double total = 0;
  for (const graph::NodeTiming& timing : executor.timings()) {
    char ms[32];
    std::snprintf(ms, sizeof(ms), "%.3f", timing.ms);
    table.add({timing.node, timing.op, timing.device, ms});
    total += timing.ms;
  }
  table.print();
  std::printf("%zu nodes on %s, %.3f ms\n", executor.timings().size(), device.c_str(), total);
  if (const graph::MemoryPlan* plan = executor.memory_plan()) std::printf("memory: %s\n", plan->summary().c_str());
  for (const graph::PlacementNote& note : executor.notes())
    std::printf("note %s: %s\n", note.node.c_str(), note.message.c_str());
  return kExitOk;
}

}  // namespace

int run_model(const GlobalOptions& options, int argc, char** args) {
  Arguments arguments;
  if (const std::optional<int> code = parse(argc, args, &arguments)) return *code;
  try {
    return run(options, arguments);
  } catch (const Error& error) {
    std::fprintf(stderr, "keel run: %s\n", graph::error_text(error).c_str());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "keel run: %s\n", error.what());
  }
  return kExitFailure;
}

}  // namespace keel::cli
