// Parameter files on disk, and saving/loading a module's parameters and buffers.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "keel/autograd.hpp"
#include "keel/serialize.hpp"

namespace keel::serialize {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(KEEL_STATUS_NOT_FOUND, path + ": cannot open the parameter file for reading", "keel");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(KEEL_STATUS_DATA_LOSS, path + ": reading the parameter file failed", "keel");
  return bytes;
}

std::string shape_text(std::span<const int64_t> shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i > 0 ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

[[noreturn]] void mismatch(const std::string& path, const std::string& message) {
  throw Error(KEEL_STATUS_INVALID_ARGUMENT, path + ": " + message, "keel");
}

}  // namespace

void save_tensors(const std::string& path, std::span<const NamedTensor> tensors) {
  const std::string bytes = encode(tensors);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(KEEL_STATUS_INTERNAL, path + ": cannot open the parameter file for writing", "keel");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(KEEL_STATUS_INTERNAL, path + ": writing the parameter file failed", "keel");
}

std::vector<NamedTensor> load_tensors(const std::string& path, const std::optional<Device>& device) {
  return decode(read_file(path), device, path);
}

void save(const nn::Module& module, const std::string& path) {
  std::vector<NamedTensor> tensors;
  for (auto& [name, tensor] : module.state()) tensors.push_back({name, std::move(tensor)});
  save_tensors(path, tensors);
}

void load(nn::Module& module, const std::string& path) {
  std::map<std::string, Tensor> file;
  for (NamedTensor& entry : load_tensors(path)) file.emplace(std::move(entry.name), std::move(entry.tensor));
  const auto state = module.state();
  // Everything is checked before anything is written.
  for (const auto& [name, tensor] : state) {
    const auto found = file.find(name);
    if (found == file.end()) mismatch(path, "the module's '" + name + "' is missing from the file");
    const Tensor& stored = found->second;
    if (stored.dtype() != tensor.dtype()) {
      mismatch(path, "'" + name + "' has dtype " + dtype_name(stored.dtype()) + " in the file, but the module's is " +
                         dtype_name(tensor.dtype()));
    }
    if (!std::ranges::equal(stored.shape(), tensor.shape())) {
      mismatch(path, "'" + name + "' has shape " + shape_text(stored.shape()) + " in the file, but the module's is " +
                         shape_text(tensor.shape()));
    }
  }
  if (file.size() != state.size()) {
    for (const auto& [name, tensor] : file) {
      const bool known = std::ranges::any_of(state, [&](const auto& entry) { return entry.first == name; });
      if (!known) mismatch(path, "the file's '" + name + "' is not a parameter or buffer of the module");
    }
  }
  const autograd::NoGrad no_grad;
  for (const auto& [name, tensor] : state) {
    Tensor target = tensor;
    target.copy_(file.at(name).to(tensor.device()));
  }
}

}  // namespace keel::serialize
