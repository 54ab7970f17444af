// Conformance profiles: what each one covers, what it requires, and how a plugin claims it.
//
//   Base            ABI and loader, runtime, memory, stress. Every plugin claims it.
//   Core-Inference  every operator outside the training groups, in the spec's "core" dtypes (f32, i32, i64,
//                   bool): numerics, negative cases, determinism. Claimed by every plugin.
//   Core-Training   the training-only operators (training_groups(), training_name_markers()) in core dtypes,
//                   plus the autograd layer. Claimed
//                   by a plugin that registers a kernel for at least one training-only operator.
//   FP16, BF16,     the same operator cases in the spec's fp16 / bf16 / fp64 dtypes. Claimed by the device's
//   FP64            KEEL_CAP_F16 / KEEL_CAP_BF16 / KEEL_CAP_F64 capability bit.
//
// A profile passes when every case of its must-pass list (and of every profile it requires) passes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keel::conform {

enum class Profile { kBase, kCoreInference, kCoreTraining, kFp16, kBf16, kFp64 };

inline constexpr Profile kAllProfiles[] = {Profile::kBase, Profile::kCoreInference, Profile::kCoreTraining,
                                           Profile::kFp16, Profile::kBf16,          Profile::kFp64};

struct ProfileInfo {
  Profile profile;
  const char* name;        // "Core-Inference"
  const char* slug;        // "core-inference": the must-pass list is profiles/<slug>.txt
  const char* dtype_profile; // the spec's dtype profile its operator cases use ("core", "fp16", ...); "" for Base
  uint64_t claim_capability; // the KEEL_CAP_* bit that claims it; 0 when every plugin claims it
  std::vector<Profile> requires_profiles; // profiles that must pass too
  const char* summary;
};

const ProfileInfo& profile_info(Profile profile);
const char* profile_name(Profile profile);
// Accepts the name or the slug, case-insensitively ("core-training", "FP16").
std::optional<Profile> parse_profile(std::string_view text);

// The operator groups whose operators belong to Core-Training rather than Core-Inference, and the name
// parts that mark a training kernel in any group ("max_pool_backward", "conv_backward_weight").
std::span<const std::string_view> training_groups();
std::span<const std::string_view> training_name_markers();
bool is_training_op(std::string_view op_name, std::string_view group);

// The profile of an operator case from the spec's dtype profiles of every tensor it involves: the one
// extension among them, else Core-Inference or Core-Training by the operator. nullopt when the call mixes
// two extensions (no profile covers it) or uses a dtype profile without a suite profile (int8).
std::optional<Profile> op_case_profile(std::string_view op_name, std::string_view group,
                                       std::span<const std::string> dtype_profiles);

// What a plugin shows about itself that claims profiles.
struct PluginClaims {
  uint64_t capabilities = 0;     // the device's KEEL_CAP_* bits
  bool training_kernels = false; // it registers a kernel for a training-only operator
};

// Whether a plugin claims the profile: Base and Core-Inference always; Core-Training with a training
// kernel; FP16, BF16 and FP64 with their capability bit.
bool claims(Profile profile, const PluginClaims& plugin);

// Profiles in dependency order with every requirement of `requested` added.
std::vector<Profile> with_requirements(std::span<const Profile> requested);

}  // namespace keel::conform
