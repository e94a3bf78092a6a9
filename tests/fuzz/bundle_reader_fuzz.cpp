// libFuzzer target: a publisher's answer to the search by professional, any bytes, read into
// checked slots (publishers/bundle_reader): never a crash, never an exception out of it, and
// what it keeps is checked.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "publishers/bundle_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto reading = sas::publishers::readSlotBundle(body, 50);
  if (!reading.ok && (!reading.slots.empty() || !reading.refused.empty())) std::abort();
  if (reading.slots.size() > 50) std::abort();
  for (const auto& s : reading.slots)
    if (s.end <= s.start || s.professionalId.empty() || s.types.empty()) std::abort();
  return 0;
}
