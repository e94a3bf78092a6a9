// libFuzzer target: form bodies, query strings and paths as the server decodes them. Whatever
// is accepted must be valid UTF-8: that is what the handlers rely on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = sas::http::wire;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto form = wire::decodeForm(input, 64, 4096);
  if (form.ok()) {
    if (form.fields.size() > 64) __builtin_trap();
    for (const auto& [name, value] : form.fields)
      if (!wire::validUtf8(name) || !wire::validUtf8(value) || value.size() > 4096)
        __builtin_trap();
  }
  if (auto path = wire::decodePath(input))
    if (!wire::validUtf8(*path) || path->empty() || (*path)[0] != '/') __builtin_trap();
  if (auto decoded = wire::percentDecode(input, true))
    if (!wire::validUtf8(*decoded)) __builtin_trap();
  return 0;
}
