// keel conform --verify report.json: check a certificate against this suite.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cmd_conform.h"
#include "report/renderings.h"
#include "report/verify.h"

namespace keel::cli {

int run_conform_verify(const std::string& path) {
  const std::vector<std::string> problems = conform::verify_certificate_file(path);
  if (!problems.empty()) {
    std::printf("%s does NOT verify (%zu problem%s):\n", path.c_str(), problems.size(), problems.size() == 1 ? "" : "s");
    for (const std::string& problem : problems) std::printf("  %s\n", problem.c_str());
    return kExitFailure;
  }
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  std::printf("%s verifies against this suite.\n\n%s", path.c_str(),
              conform::render_summary(nlohmann::json::parse(text.str())).c_str());
  return kExitOk;
}

}  // namespace keel::cli
