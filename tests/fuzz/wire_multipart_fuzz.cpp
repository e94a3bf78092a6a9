// libFuzzer target: multipart/form-data fed in chunks of any size must give what the whole body
// gives at once (the delimiter may be cut anywhere), and never more file bytes than the cap.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = sas::http::wire;
  if (size < 1) return 0;
  const std::size_t chunk = 1 + data[0] % 97;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string boundary = "----sasfuzz";
  wire::MultipartLimits limits;
  limits.maxFileBytes = 512;
  limits.maxFieldBytes = 1024;
  limits.maxFields = 16;

  const auto whole = wire::parseMultipart(body, boundary, limits);

  std::vector<std::string> files;
  std::uint64_t written = 0;
  wire::FileSink sink{[&](const std::string&, const std::string&) {
                        files.emplace_back();
                        written = 0;
                        return true;
                      },
                      [&](std::string_view bytes) {
                        written += bytes.size();
                        if (written > limits.maxFileBytes) __builtin_trap();
                        files.back().append(bytes);
                      },
                      [](std::uint64_t) {}};
  wire::MultipartParser parser(boundary, limits, sink);
  bool ok = true;
  for (std::size_t at = 0; ok && at < body.size(); at += chunk)
    ok = parser.feed(body.substr(at, chunk));
  ok = ok && parser.finish();

  if (ok != whole.ok()) __builtin_trap();
  if (ok) {
    if (parser.fields() != whole.fields || files.size() != whole.files.size()) __builtin_trap();
    for (std::size_t i = 0; i < files.size(); ++i)
      if (files[i] != whole.files[i].content) __builtin_trap();
  }
  return 0;
}
