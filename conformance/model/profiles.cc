#include "model/profiles.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "keel/keel_types.h"

namespace keel::conform {
namespace {

const std::array<ProfileInfo, 6>& profile_table() {
  static const std::array<ProfileInfo, 6> kProfiles = {{
      {Profile::kBase, "Base", "base", "", 0, {}, "ABI and loader, runtime, memory, stress"},
      {Profile::kCoreInference, "Core-Inference", "core-inference", "core", 0, {Profile::kBase},
       "inference operators in f32, i32, i64 and bool: numerics, negative cases, determinism"},
      {Profile::kCoreTraining, "Core-Training", "core-training", "core", 0, {Profile::kCoreInference},
       "training operators in core dtypes; autograd (pending)"},
      {Profile::kFp16, "FP16", "fp16", "fp16", KEEL_CAP_F16, {Profile::kCoreInference},
       "every operator case in f16"},
      {Profile::kBf16, "BF16", "bf16", "bf16", KEEL_CAP_BF16, {Profile::kCoreInference},
       "every operator case in bf16"},
      {Profile::kFp64, "FP64", "fp64", "fp64", KEEL_CAP_F64, {Profile::kCoreInference},
       "every operator case in f64"},
  }};
  return kProfiles;
}

constexpr std::string_view kTrainingGroups[] = {"training", "random", "optimizer"};
constexpr std::string_view kTrainingMarkers[] = {"_backward", "_grad"};

bool equal_no_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

const ProfileInfo& profile_info(Profile profile) { return profile_table()[static_cast<size_t>(profile)]; }

const char* profile_name(Profile profile) { return profile_info(profile).name; }

std::optional<Profile> parse_profile(std::string_view text) {
  for (const ProfileInfo& info : profile_table()) {
    if (equal_no_case(text, info.name) || equal_no_case(text, info.slug)) return info.profile;
  }
  return std::nullopt;
}

std::span<const std::string_view> training_groups() { return kTrainingGroups; }

std::span<const std::string_view> training_name_markers() { return kTrainingMarkers; }

bool is_training_op(std::string_view op_name, std::string_view group) {
  for (std::string_view training : kTrainingGroups) {
    if (group == training) return true;
  }
  for (std::string_view marker : kTrainingMarkers) {
    if (op_name.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<Profile> op_case_profile(std::string_view op_name, std::string_view group,
                                       std::span<const std::string> dtype_profiles) {
  std::optional<Profile> extension;
  for (const std::string& dtype_profile : dtype_profiles) {
    if (dtype_profile == "core") continue;
    std::optional<Profile> found;
    for (const ProfileInfo& info : profile_table()) {
      if (info.claim_capability != 0 && dtype_profile == info.dtype_profile) found = info.profile;
    }
    if (!found) return std::nullopt;                       // a dtype profile no suite profile covers
    if (extension && *extension != *found) return std::nullopt;  // two extensions at once
    extension = found;
  }
  if (extension) return extension;
  return is_training_op(op_name, group) ? Profile::kCoreTraining : Profile::kCoreInference;
}

bool claims(Profile profile, const PluginClaims& plugin) {
  if (profile == Profile::kCoreTraining) return plugin.training_kernels;
  const uint64_t bit = profile_info(profile).claim_capability;
  return bit == 0 || (plugin.capabilities & bit) != 0;
}

std::vector<Profile> with_requirements(std::span<const Profile> requested) {
  std::vector<bool> wanted(std::size(kAllProfiles), false);
  std::vector<Profile> pending(requested.begin(), requested.end());
  while (!pending.empty()) {
    const Profile profile = pending.back();
    pending.pop_back();
    if (wanted[static_cast<size_t>(profile)]) continue;
    wanted[static_cast<size_t>(profile)] = true;
    for (Profile required : profile_info(profile).requires_profiles) pending.push_back(required);
  }
  std::vector<Profile> ordered;
  for (Profile profile : kAllProfiles) {
    if (wanted[static_cast<size_t>(profile)]) ordered.push_back(profile);
  }
  return ordered;
}

}  // namespace keel::conform
