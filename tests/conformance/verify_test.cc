// `keel conform --verify` on a real certificate and on tampered copies of it: every kind of edit is caught.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "report/certificate.h"
#include "suite_runner.h"

namespace keel::conform::test {
namespace {

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = std::string("verify-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    run_ = run_suite(name, {"--plugin", KEEL_REFERENCE_PLUGIN});
    ASSERT_TRUE(run_.report.is_object()) << run_.output;
    certificate_ = run_.report;
  }

  // Writes `certificate` and runs --verify on it; returns the exit code, output in *output.
  int verify(const nlohmann::json& certificate, std::string* output) {
    const std::string path = run_.out_dir + "/tampered.json";
    std::ofstream(path, std::ios::trunc) << certificate.dump(2);
    return run_keel({"conform", "--verify", path}, output);
  }

  // Recomputes the integrity digest, as a careful forger would.
  static void reseal(nlohmann::json& certificate) {
    certificate["integrity"]["cases_sha256"] = cases_digest(certificate["cases"]);
  }

  // The index of the first must-pass case that passed, in a profile that passed.
  size_t first_must_pass() const {
    std::set<std::string> passing;
    for (const nlohmann::json& profile : certificate_["profiles"]) {
      if (profile["verdict"] == "pass") passing.insert(profile["name"].get<std::string>());
    }
    for (size_t i = 0; i < certificate_["cases"].size(); ++i) {
      const nlohmann::json& entry = certificate_["cases"][i];
      if (entry["must_pass"] == true && entry["outcome"] == "pass" && passing.count(entry["profile"])) return i;
    }
    ADD_FAILURE() << "no passing must-pass case";
    return 0;
  }

  SuiteRun run_;
  nlohmann::json certificate_;
};

TEST_F(VerifyTest, TheUntouchedCertificateVerifies) {
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 0) << output;
}

TEST_F(VerifyTest, AnEditedOutcomeBreaksTheIntegrityDigestAndTheCounts) {
  certificate_["cases"][first_must_pass()]["outcome"] = "fail";
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 1);
  EXPECT_NE(output.find("integrity"), std::string::npos) << output;
  EXPECT_NE(output.find("counts do not match"), std::string::npos) << output;
}

TEST_F(VerifyTest, AResealedEditWithMatchingCountsStillContradictsTheVerdict) {
  const size_t index = first_must_pass();
  nlohmann::json& entry = certificate_["cases"][index];
  entry["outcome"] = "fail";
  for (nlohmann::json& profile : certificate_["profiles"]) {
    if (profile["name"] != entry["profile"]) continue;
    profile["counts"]["pass"] = profile["counts"]["pass"].get<int>() - 1;
    profile["counts"]["fail"] = profile["counts"]["fail"].get<int>() + 1;
    profile["must_pass_satisfied"] = profile["must_pass_satisfied"].get<int>() - 1;
  }
  certificate_["summary"]["counts"]["pass"] = certificate_["summary"]["counts"]["pass"].get<int>() - 1;
  certificate_["summary"]["counts"]["fail"] = certificate_["summary"]["counts"]["fail"].get<int>() + 1;
  reseal(certificate_);
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 1);
  EXPECT_NE(output.find("the verdict says pass, the cases give fail"), std::string::npos) << output;
}

TEST_F(VerifyTest, AnotherSuiteVersionIsRefused) {
  certificate_["suite"]["version"] = "0.9.0";
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 1);
  EXPECT_NE(output.find("made by suite 0.9.0"), std::string::npos) << output;
}

TEST_F(VerifyTest, AnotherMustPassListIsRefused) {
  certificate_["profiles"][0]["must_pass_list"]["sha256"] = std::string(64, '0');
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 1);
  EXPECT_NE(output.find("is not this suite's"), std::string::npos) << output;
}

TEST_F(VerifyTest, ADroppedMustPassCaseIsMissed) {
  const size_t index = first_must_pass();
  const std::string profile_name = certificate_["cases"][index]["profile"];
  certificate_["cases"].erase(index);
  for (nlohmann::json& profile : certificate_["profiles"]) {
    if (profile["name"] != profile_name) continue;
    profile["counts"]["pass"] = profile["counts"]["pass"].get<int>() - 1;
    profile["must_pass_run"] = profile["must_pass_run"].get<int>() - 1;
    profile["must_pass_satisfied"] = profile["must_pass_satisfied"].get<int>() - 1;
  }
  certificate_["summary"]["cases"] = certificate_["cases"].size();
  certificate_["summary"]["counts"]["pass"] = certificate_["summary"]["counts"]["pass"].get<int>() - 1;
  reseal(certificate_);
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 1);
  EXPECT_NE(output.find("have no result"), std::string::npos) << output;
}

TEST_F(VerifyTest, AWaivedOutcomeNeedsAWaiver) {
  nlohmann::json& entry = certificate_["cases"][first_must_pass()];
  entry["outcome"] = "expected_fail";
  reseal(certificate_);
  std::string output;
  EXPECT_EQ(verify(certificate_, &output), 1);
  EXPECT_NE(output.find("without a waiver"), std::string::npos) << output;
}

TEST_F(VerifyTest, SchemaViolationsAreCaught) {
  nlohmann::json extra = certificate_;
  extra["signed_by"] = "someone";
  std::string output;
  EXPECT_EQ(verify(extra, &output), 1);
  EXPECT_NE(output.find("schema"), std::string::npos) << output;
  nlohmann::json wrong_type = certificate_;
  wrong_type["summary"]["cases"] = "many";
  EXPECT_EQ(verify(wrong_type, &output), 1);
  nlohmann::json flipped = certificate_;
  flipped["summary"]["result"] = flipped["summary"]["result"] == "pass" ? "fail" : "pass";
  EXPECT_EQ(verify(flipped, &output), 1);
  EXPECT_NE(output.find("summary.result"), std::string::npos) << output;
}

TEST_F(VerifyTest, NonJsonIsRefused) {
  const std::string path = run_.out_dir + "/garbage.json";
  std::ofstream(path, std::ios::trunc) << "{ not json";
  std::string output;
  EXPECT_EQ(run_keel({"conform", "--verify", path}, &output), 1);
  EXPECT_EQ(run_keel({"conform", "--verify", run_.out_dir + "/absent.json"}, &output), 1);
}

}  // namespace
}  // namespace keel::conform::test
