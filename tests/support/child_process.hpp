#pragma once
// The real servers the tests start as child processes (SMTP sink, OpenID provider).
#include <sys/types.h>

#include <chrono>

namespace sas::test {

/// Whether something accepts connections on 127.0.0.1:`port` within `within` (a child's
/// start-up, not a timing under test).
bool acceptsConnections(int port, std::chrono::milliseconds within);

/// SIGTERM to the child, then waits for it; `pid` becomes 0.
void endChild(pid_t& pid);

}  // namespace sas::test
