// The identity of this conformance suite, fixed when the build is configured.
#pragma once

namespace keel::conform {

const char* suite_version();       // e.g. "1.0.0": bumped when cases or their meaning change
const char* suite_git_revision();  // the commit the suite was configured from, or "unknown"
bool suite_git_dirty();            // the working tree had uncommitted changes at configure time

}  // namespace keel::conform
