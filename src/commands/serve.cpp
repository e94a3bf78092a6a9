// sas serve: the web server until SIGINT or SIGTERM.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include <csignal>
#include <iostream>

#include "app/free_memory.hpp"
#include "commands/command.hpp"
#include "http/allocator_policy.hpp"
#include "wiring.hpp"

namespace sas::commands {

namespace {

// Poco's loggers have no output until given one: the server's lines (errors with their
// reference, jobs) go to standard error, one line each, for journald (docs/deploy.md).
void logToStandardError() {
  Poco::AutoPtr<Poco::PatternFormatter> format(
      new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t"));
  Poco::AutoPtr<Poco::FormattingChannel> channel(
      new Poco::FormattingChannel(format, new Poco::ConsoleChannel(std::cerr)));
  Poco::Logger::setChannel("", channel);  // the root and every logger made so far
}

}  // namespace

int serve(const Arguments& arguments) {
  arguments.expectWords(0, "");
  // Before any thread: the platform's jobs and index readers start below.
  http::useServerAllocatorPolicy();
  logToStandardError();
  // Signals are taken by sigwait below, not by whichever server thread they land on.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Platform platform(loadConfig(arguments));
  platform.startServer();
  std::cout << "SAS : serveur démarré sur " << platform.config().baseUrl << " (port "
            << platform.port() << ")" << std::endl;
  std::cout << "SAS : mémoire allouée par " << app::allocatorName() << std::endl;
  if (platform.fhirPort() != 0)
    std::cout << "SAS : publication FHIR en HTTPS sur " << platform.config().fhirListen << " (port "
              << platform.fhirPort() << ", docs/fhir.md)" << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "SAS : arrêt demandé, fin des requêtes en cours…" << std::endl;
  platform.stopServer();
  return 0;
}

}  // namespace sas::commands
