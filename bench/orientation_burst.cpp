// The burst of bench/orientations.sh: one connection per request, all opened first, then every
// request sent one after the other without waiting, and the answers read as they come, on one
// thread. A latency runs from a request's first byte sent to its answer's last byte.
//
// Why not the script's Python: on this 2-core machine the Python client took as much CPU during
// the burst as the server (75 ms against 86 ms in a profile), on the same cores, and it stamps
// an answer only when its loop comes back to it: it measured itself as much as the server.
//
// Usage: bench_orientation_burst TOKEN PLAN RESULTS
//   PLAN: one request per line, "PORT<TAB>JSON body"; RESULTS: a JSON array, one object per
//   request in the plan's order: port, status, body, ms, t0, t1 (t0/t1 in seconds, monotonic).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Exchange {
  explicit Exchange(asio::io_context& io) : socket(io) {}
  int port = 0;
  std::string request;
  tcp::socket socket;
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  Clock::time_point sent, answered;
  bool done = false;
};

double seconds(Clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench_orientation_burst TOKEN PLAN RESULTS\n";
    return 2;
  }
  const std::string token = argv[1];
  asio::io_context io(1);
  std::vector<std::unique_ptr<Exchange>> plan;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    auto e = std::make_unique<Exchange>(io);
    e->port = std::stoi(line.substr(0, tab));
    const std::string body = line.substr(tab + 1);
    e->request =
        "POST /api/v1/orientations HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(e->port) +
        "\r\nAuthorization: Bearer " + token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    plan.push_back(std::move(e));
  }
  if (plan.empty()) {
    std::cerr << "empty plan\n";
    return 2;
  }

  // Every connection first: the burst measures orientations, not handshakes.
  for (auto& e : plan) {
    e->socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(e->port)});
    e->socket.set_option(tcp::no_delay(true));
  }
  for (auto& e : plan) {
    e->sent = Clock::now();
    asio::write(e->socket, asio::buffer(e->request));  // a few hundred bytes: taken at once
    bhttp::async_read(e->socket, e->buffer, e->response,
                      [&e = *e](beast::error_code ec, std::size_t) {
                        e.answered = Clock::now();
                        e.done = !ec;
                      });
  }
  io.run_for(std::chrono::seconds{30});

  nlohmann::json results = nlohmann::json::array();
  for (const auto& e : plan) {
    if (!e->done) {  // no answer: counted as a wrong answer by the script
      results.push_back({{"port", e->port},
                         {"status", 0},
                         {"body", "no answer"},
                         {"ms", 0},
                         {"t0", 0},
                         {"t1", 0}});
      continue;
    }
    results.push_back(
        {{"port", e->port},
         {"status", e->response.result_int()},
         {"body", e->response.body()},
         {"ms", std::chrono::duration<double, std::milli>(e->answered - e->sent).count()},
         {"t0", seconds(e->sent)},
         {"t1", seconds(e->answered)}});
  }
  std::ofstream(argv[3]) << results.dump();
  return 0;
}
