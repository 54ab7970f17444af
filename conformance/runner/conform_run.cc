#include "runner/conform_run.h"

#include <poll.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <stdexcept>

#include "model/catalog.h"
#include "model/must_pass.h"
#include "model/waivers.h"
#include "report/certificate.h"
#include "report/renderings.h"
#include "report/verify.h"
#include "runner/child_process.h"
#include "runner/plugin_resolution.h"
#include "runner/protocol.h"
#include "runner/result_stream.h"
#include "runner/scheduler.h"

namespace keel::conform {
namespace {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string default_out_dir(const std::string& plugin) {
  std::string stem = std::filesystem::path(plugin).stem().string();
  if (stem.rfind("libkeel_", 0) == 0) stem = stem.substr(8);
  return "keel-conform-" + stem;
}

std::vector<std::string> worker_argv(const std::string& self, const ResolvedPlugins& plugins,
                                     const ConformOptions& options) {
  std::vector<std::string> argv = {self,        "conform", "--worker", "--plugin", plugins.plugin, "--reference",
                                   plugins.reference, "--device", std::to_string(options.device_index)};
  if (options.quick) argv.emplace_back("--quick");
  return argv;
}

// Starts one worker just to hear what the plugin and device are (READY), then lets it go.
nlohmann::json ask_target(const std::vector<std::string>& argv, const std::string& log_path) {
  std::string error;
  std::unique_ptr<ChildProcess> child = ChildProcess::spawn(argv, log_path, &error);
  if (!child) throw std::runtime_error("cannot start a worker: " + error);
  std::vector<std::string> lines;
  pollfd fd = {child->result_fd(), POLLIN, 0};
  while (lines.empty() && poll(&fd, 1, 60000) > 0 && child->read_lines(&lines)) {
  }
  child->close_input();
  const std::string ending = child->wait(10.0);
  for (const std::string& line : lines) {
    if (line.starts_with(kFatalMessage)) throw std::runtime_error(line.substr(kFatalMessage.size()));
    if (line.starts_with(kReadyMessage)) {
      nlohmann::json target = nlohmann::json::parse(line.substr(kReadyMessage.size()), nullptr, false);
      if (target.is_object()) return target;
    }
  }
  throw std::runtime_error("the first worker " + ending + " before it could describe the plugin (see " + log_path + ")");
}

// What the plugin claims, from the worker's description of it.
std::vector<Profile> claimed_profiles(const nlohmann::json& target) {
  PluginClaims plugin;
  plugin.capabilities = target["device"].value("capability_bits", uint64_t{0});
  for (const nlohmann::json& name : target["plugin"].value("kernel_ops", nlohmann::json::array())) {
    const spec::OpSchema* op = spec::find_op(name.get<std::string>());
    if (op != nullptr && is_training_op(op->name, op->group)) plugin.training_kernels = true;
  }
  std::vector<Profile> claimed;
  for (Profile profile : kAllProfiles) {
    if (claims(profile, plugin)) claimed.push_back(profile);
  }
  return claimed;
}

void warn_about_stale_lists(const std::vector<Profile>& profiles) {
  for (Profile profile : profiles) {
    const ListDrift drift = list_drift(profile);
    if (drift.empty()) continue;
    std::fprintf(stderr,
                 "keel conform: warning: the committed must-pass list of %s differs from this suite's cases (%zu new, "
                 "%zu gone%s); the list as committed is what the verdict uses\n",
                 profile_name(profile), drift.missing_from_list.size(), drift.stale_in_list.size(),
                 drift.file_missing ? ", file missing" : "");
  }
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  return static_cast<bool>(file);
}

// The arguments that need checking before anything starts.
struct Settings {
  std::optional<WaiverSet> waivers;
  std::vector<Profile> asked;  // --profile; empty: the claimed ones
  std::optional<std::regex> filter;
};

std::optional<Settings> check_arguments(const ConformOptions& options) {
  Settings settings;
  if (!options.waivers.empty()) {
    std::string error;
    settings.waivers = WaiverSet::load(options.waivers, &error);
    if (!settings.waivers) {
      std::fprintf(stderr, "keel conform: %s\n", error.c_str());
      return std::nullopt;
    }
  }
  for (const std::string& name : options.profiles) {
    const std::optional<Profile> profile = parse_profile(name);
    if (!profile) {
      std::fprintf(stderr, "keel conform: unknown profile '%s' (Base, Core-Inference, Core-Training, FP16, BF16, FP64)\n",
                   name.c_str());
      return std::nullopt;
    }
    settings.asked.push_back(*profile);
  }
  try {
    if (!options.filter.empty()) settings.filter.emplace(options.filter);
  } catch (const std::regex_error& error) {
    std::fprintf(stderr, "keel conform: --filter is not a valid regular expression: %s\n", error.what());
    return std::nullopt;
  }
  return settings;
}

std::vector<const CaseSpec*> select_cases(const std::vector<Profile>& profiles, bool quick,
                                          const std::optional<std::regex>& filter) {
  std::vector<const CaseSpec*> selected;
  for (const CaseSpec& spec : all_cases()) {
    if (std::find(profiles.begin(), profiles.end(), spec.profile) == profiles.end()) continue;
    if (quick && !spec.quick) continue;
    if (filter && !std::regex_search(spec.id, *filter)) continue;
    selected.push_back(&spec);
  }
  return selected;
}

// Writes report.json and report.md, prints the summary; the exit code of the run.
int write_reports(const RunRecord& record, const std::filesystem::path& out_dir) {
  const nlohmann::json certificate = build_certificate(record);
  const std::string json = certificate.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const bool written =
      write_file(out_dir / "report.json", json) && write_file(out_dir / "report.md", render_markdown(certificate));
  std::printf("%s", render_summary(certificate).c_str());
  std::printf("Certificate: %s\nReport:      %s\nResults:     %s\n", (out_dir / "report.json").c_str(),
              (out_dir / "report.md").c_str(), (out_dir / "results.jsonl").c_str());
  if (!written) {
    std::fprintf(stderr, "keel conform: cannot write the reports in %s\n", out_dir.c_str());
    return kExitFail;
  }
  const std::vector<std::string> problems = verify_certificate(certificate);  // a suite bug if any
  for (const std::string& problem : problems) {
    std::fprintf(stderr, "keel conform: the certificate does not verify: %s\n", problem.c_str());
  }
  return problems.empty() && certificate["summary"]["result"] == "pass" ? kExitPass : kExitFail;
}

int run(const ConformOptions& options) {
  std::optional<Settings> settings = check_arguments(options);
  if (!settings) return kExitUsage;
  const auto started = std::chrono::steady_clock::now();
  RunRecord record;
  record.started_utc = utc_now();
  const std::filesystem::path out_dir = options.out_dir.empty() ? default_out_dir(options.plugin) : options.out_dir;
  std::filesystem::create_directories(out_dir);

  const std::string self = self_executable();
  const ResolvedPlugins plugins =
      resolve_plugins(self, options.plugin, options.reference, options.discovery, (out_dir / "lookup.log").string());
  const std::vector<std::string> argv = worker_argv(self, plugins, options);
  record.target = ask_target(argv, (out_dir / "worker-info.log").string());
  record.claimed = claimed_profiles(record.target);
  record.requested = settings->asked.empty() ? record.claimed : settings->asked;
  record.profiles = with_requirements(record.requested);
  warn_about_stale_lists(record.profiles);
  const std::vector<const CaseSpec*> selected = select_cases(record.profiles, options.quick, settings->filter);

  ResultStream stream(out_dir / "results.jsonl", settings->waivers ? &*settings->waivers : nullptr,
                      record.target["plugin"].value("name", ""), record.target["device"].value("name", ""),
                      selected.size(), options.progress);
  SchedulerOptions scheduling;
  scheduling.worker_argv = argv;
  scheduling.log_dir = out_dir.string();
  scheduling.jobs = options.jobs;
  scheduling.case_timeout_s = options.case_timeout_s;
  run_cases(scheduling, selected, [&](const CaseSpec& spec, const CaseResult& raw) { stream.add(spec, raw); });
  stream.finish();

  record.quick = options.quick;
  record.filter = options.filter;
  record.jobs = options.jobs;
  record.case_timeout_s = options.case_timeout_s;
  record.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  record.command = options.command_line;
  record.waivers = settings->waivers ? &*settings->waivers : nullptr;
  record.cases = stream.in_order(selected);
  return write_reports(record, out_dir);
}

}  // namespace

int run_conformance(const ConformOptions& options) {
  signal(SIGPIPE, SIG_IGN);  // a worker that dies while we write to it must not take the parent along
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "keel conform: %s\n", error.what());
    return kExitFail;
  }
}

}  // namespace keel::conform
