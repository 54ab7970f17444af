// The suite's model: SHA-256, waivers, profiles and their claims, and the case catalog's invariants.
#include <gtest/gtest.h>

#include <set>

#include "keel/keel_types.h"
#include "model/catalog.h"
#include "model/profiles.h"
#include "model/sha256.h"
#include "model/waivers.h"

namespace keel::conform {
namespace {

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(Waivers, GlobsMatchWholeIds) {
  EXPECT_TRUE(glob_match("ops.add.*", "ops.add.f32.s0.dense"));
  EXPECT_TRUE(glob_match("ops.*.f16.s?.dense", "ops.exp.f16.s3.dense"));
  EXPECT_FALSE(glob_match("ops.add.*", "ops.addmm.f32.s0.dense"));
  EXPECT_FALSE(glob_match("ops.add", "ops.add.f32"));
  EXPECT_TRUE(glob_match("*", "anything"));
}

TEST(Waivers, ParseRequiresAReasonAndMatchesByPluginAndDevice) {
  std::string error;
  EXPECT_FALSE(WaiverSet::parse(R"({"schema": "keel-conformance-waivers", "version": 1,
                                    "waivers": [{"plugin": "x", "case": "a.*"}]})", "w.json", &error));
  EXPECT_NE(error.find("reason"), std::string::npos) << error;
  EXPECT_FALSE(WaiverSet::parse(R"({"schema": "other", "version": 1, "waivers": []})", "w.json", &error));
  const std::optional<WaiverSet> set = WaiverSet::parse(
      R"({"schema": "keel-conformance-waivers", "version": 1, "waivers": [
           {"plugin": "onednn", "device": "AVX2", "case": "ops.softmax.*", "reason": "known"}]})",
      "w.json", &error);
  ASSERT_TRUE(set) << error;
  EXPECT_NE(set->find("onednn", "CPU AVX2", "ops.softmax.f32.s0.dense"), nullptr);
  EXPECT_EQ(set->find("onednn", "CPU AVX512", "ops.softmax.f32.s0.dense"), nullptr);
  EXPECT_EQ(set->find("opencl", "CPU AVX2", "ops.softmax.f32.s0.dense"), nullptr);
  EXPECT_EQ(set->sha256().size(), 64u);
}

TEST(Waivers, WaivedPassesAreXpassAndWaivedFailuresExpected) {
  const Waiver waiver{"p", "", "*", "why", ""};
  EXPECT_EQ(WaiverSet::apply(Outcome::kPass, &waiver), Outcome::kXpass);
  EXPECT_EQ(WaiverSet::apply(Outcome::kFail, &waiver), Outcome::kExpectedFail);
  EXPECT_EQ(WaiverSet::apply(Outcome::kCrashed, &waiver), Outcome::kExpectedFail);
  EXPECT_EQ(WaiverSet::apply(Outcome::kNotRun, &waiver), Outcome::kNotRun);
  EXPECT_EQ(WaiverSet::apply(Outcome::kFail, nullptr), Outcome::kFail);
}

TEST(Profiles, ClaimsComeFromCapabilityBitsAndTrainingKernels) {
  const PluginClaims bare{0, false};
  EXPECT_TRUE(claims(Profile::kBase, bare));
  EXPECT_TRUE(claims(Profile::kCoreInference, bare));
  EXPECT_FALSE(claims(Profile::kCoreTraining, bare));
  EXPECT_TRUE(claims(Profile::kCoreTraining, PluginClaims{0, true}));
  EXPECT_FALSE(claims(Profile::kFp16, PluginClaims{KEEL_CAP_BF16 | KEEL_CAP_F64, true}));
  EXPECT_TRUE(claims(Profile::kFp16, PluginClaims{KEEL_CAP_F16, false}));
  const std::vector<Profile> asked = {Profile::kFp64};
  EXPECT_EQ(with_requirements(asked), (std::vector<Profile>{Profile::kBase, Profile::kCoreInference, Profile::kFp64}));
  EXPECT_EQ(parse_profile("core-training"), Profile::kCoreTraining);
  EXPECT_EQ(parse_profile("FP16"), Profile::kFp16);
  EXPECT_FALSE(parse_profile("INT4"));
}

TEST(Profiles, OperatorCasesFollowTheirDtypes) {
  const std::vector<std::string> core = {"core", "core"}, half = {"core", "fp16"}, mixed = {"fp16", "fp64"};
  EXPECT_EQ(op_case_profile("add", "elementwise_binary", core), Profile::kCoreInference);
  EXPECT_EQ(op_case_profile("add", "elementwise_binary", half), Profile::kFp16);
  EXPECT_EQ(op_case_profile("dropout", "random", core), Profile::kCoreTraining);
  EXPECT_EQ(op_case_profile("conv_backward_weight", "nn", core), Profile::kCoreTraining);
  EXPECT_FALSE(op_case_profile("cast", "cast", mixed));
}

TEST(Catalog, IdsAreUniqueAndEveryCaseCanRun) {
  std::set<std::string> ids;
  for (const CaseSpec& spec : all_cases()) {
    EXPECT_TRUE(ids.insert(spec.id).second) << spec.id;
    EXPECT_NE(spec.run, nullptr) << spec.id;
    EXPECT_FALSE(spec.group.empty()) << spec.id;
    EXPECT_EQ(find_case(spec.id), &spec);
  }
  EXPECT_EQ(find_case("no.such.case"), nullptr);
}

TEST(Catalog, AutogradCasesAreMustPassOnCoreTraining) {
  for (const CaseSpec& spec : all_cases()) {
    if (spec.layer != Layer::kAutograd) continue;
    EXPECT_TRUE(spec.must_pass) << spec.id;
    EXPECT_EQ(spec.profile, Profile::kCoreTraining) << spec.id;
  }
}

TEST(Catalog, EveryLayerTheSuiteRunsHasCases) {
  std::set<Layer> layers;
  for (const CaseSpec& spec : all_cases()) layers.insert(spec.layer);
  for (Layer layer : kAllLayers) EXPECT_TRUE(layers.count(layer)) << layer_name(layer);
}

}  // namespace
}  // namespace keel::conform
