// The committed operator reference (docs/ops.md) is the one the generator writes from ir_spec/.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Docs, CommittedOpsMdIsCurrent) {
  std::string generated = read_file(KEEL_GENERATED_OPS_DOCS);
  ASSERT_FALSE(generated.empty()) << "missing " << KEEL_GENERATED_OPS_DOCS;
  EXPECT_TRUE(generated == read_file(KEEL_COMMITTED_OPS_DOCS))
      << "docs/ops.md is stale: run `cmake --build " << KEEL_BUILD_DIR << " --target keel_update_docs` and commit it";
}

}  // namespace
