// keel-specgen: reads ir_spec/ (spec.yaml + ops/*.yaml), checks it, and writes keel_ops.h, the core's
// operator table and docs/ops.md. Exit status 1, with every problem on stderr as `file:line: reason`, when
// the spec is malformed; 2 on a usage or output error.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "check_spec.h"
#include "emit.h"
#include "emit_frontend.h"
#include "load_global.h"
#include "load_ops.h"

namespace fs = std::filesystem;
using namespace keel::specgen;

namespace {

struct Options {
  std::string spec_dir;
  std::string header;
  std::string op_table;
  std::string docs;
  std::string frontend_ops;    // keel/ops.hpp of the C++ front end
  std::string frontend_table;  // its operator table and the keel::ops function bodies
};

constexpr const char* kUsage =
    "usage: keel-specgen --spec-dir DIR [--header OUT] [--op-table OUT] [--docs OUT]\n"
    "                    [--frontend-ops OUT] [--frontend-table OUT]\n"
    "  Reads DIR/spec.yaml and DIR/ops/*.yaml, checks them, and writes the requested outputs.\n";

bool parse_args(int argc, char** argv, Options& opts) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string* target = arg == "--spec-dir"   ? &opts.spec_dir
                          : arg == "--header"   ? &opts.header
                          : arg == "--op-table" ? &opts.op_table
                          : arg == "--docs"     ? &opts.docs
                          : arg == "--frontend-ops"   ? &opts.frontend_ops
                          : arg == "--frontend-table" ? &opts.frontend_table
                                                : nullptr;
    if (!target || i + 1 >= argc) {
      std::cerr << "keel-specgen: unexpected argument '" << arg << "'\n" << kUsage;
      return false;
    }
    *target = argv[++i];
  }
  if (opts.spec_dir.empty()) {
    std::cerr << "keel-specgen: --spec-dir is required\n" << kUsage;
    return false;
  }
  return true;
}

// Loads and checks the whole spec; on failure the diagnostics say why.
bool load_spec(const std::string& dir, Diagnostics& diag, Spec& spec) {
  if (!load_global_spec((fs::path(dir) / "spec.yaml").string(), diag, spec.global)) return false;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(dir) / "ops", ec)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  if (ec || files.empty()) {
    diag.error({(fs::path(dir) / "ops").string(), 0}, "no operator files (ops/*.yaml)");
    return false;
  }
  std::sort(files.begin(), files.end());  // a stable order for the outputs
  for (const fs::path& file : files) {
    GroupDef group;
    load_op_group(file.string(), spec.global, diag, group);
    spec.groups.push_back(std::move(group));
  }
  return diag.ok() && check_spec(spec, diag);
}

bool write_file(const std::string& path, const std::string& text) {
  if (path.empty()) return true;
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "keel-specgen: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options opts;
  if (!parse_args(argc, argv, opts)) return 2;
  Diagnostics diag;
  Spec spec;
  if (!load_spec(opts.spec_dir, diag, spec)) {
    diag.print(std::cerr);
    std::cerr << "keel-specgen: " << diag.error_count() << " error(s) in " << opts.spec_dir << "\n";
    return 1;
  }
  bool ok = write_file(opts.header, emit_header(spec)) && write_file(opts.op_table, emit_op_table(spec)) &&
            write_file(opts.docs, emit_docs(spec)) &&
            (opts.frontend_ops.empty() || write_file(opts.frontend_ops, emit_frontend_header(spec))) &&
            (opts.frontend_table.empty() || write_file(opts.frontend_table, emit_frontend_table(spec)));
  return ok ? 0 : 2;
}
