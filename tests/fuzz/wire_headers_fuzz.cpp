// libFuzzer target: the header values the server reads itself (Cookie, Content-Length, the
// multipart boundary of Content-Type).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = sas::http::wire;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const auto& [name, value] : wire::parseCookies(input))
    if (name.empty()) __builtin_trap();
  if (auto length = wire::parseContentLength(input)) {
    // Optional white space around the value (RFC 9110), digits only inside.
    const auto first = input.find_first_not_of(" \t");
    const auto last = input.find_last_not_of(" \t");
    if (first == std::string_view::npos ||
        input.substr(first, last - first + 1).find_first_not_of("0123456789") !=
            std::string_view::npos)
      __builtin_trap();
  }
  if (auto boundary = wire::multipartBoundary(input))
    if (boundary->empty()) __builtin_trap();
  return 0;
}
