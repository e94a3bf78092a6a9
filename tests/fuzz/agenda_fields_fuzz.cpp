// libFuzzer target: the agenda form's date and time fields and the whole availability check,
// as a POST would bring them (any bytes in each field).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"

namespace {

// Splits the input on NUL bytes into the form's fields, in the order of AvailabilityInput.
std::string_view nextField(std::string_view& rest) {
  const auto end = rest.find('\0');
  const auto field = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sas::domain;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const auto flags = nextField(rest);
  AvailabilityInput input;
  input.date = std::string(nextField(rest));
  input.from = std::string(nextField(rest));
  input.to = std::string(nextField(rest));
  input.kind = std::string(nextField(rest));
  input.capacity = std::string(nextField(rest));
  const unsigned bits = flags.empty() ? 0u : static_cast<unsigned char>(flags[0]);
  input.office = bits & 1u;
  input.teleconsultation = bits & 2u;
  input.homeVisit = bits & 4u;
  for (int d = 0; d < 7; ++d) input.weekdays[d] = flags.size() > 1 && (flags[1] >> d) & 1;

  // The parsers alone, then the rule that uses them.
  if (auto day = parseDate(input.date)) {
    (void)formatDate(*day);
    (void)formatLongDate(*day);
  }
  if (auto minute = parseTime(input.from)) (void)formatTime(*minute);
  static const auto* zone = findZone("Europe/Paris");
  const auto now = Instant{std::chrono::seconds{1772618400}};  // 2026-03-04 10:00 UTC
  auto checked = checkAvailabilityInput(input, *zone, now);
  if (checked.ok()) (void)adviseRange(*checked.value);
  return 0;
}
