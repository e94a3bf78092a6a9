#pragma once
// Values as the SAS implementation guide's resources carry them: instants in the place's own
// offset and telephone numbers in international form.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/calendar.hpp"

namespace sas::domain::fhir {

/// `t` as the guide's Slot.start and Slot.end write it, in the offset `zone` has at `t`:
/// « 2026-03-29T03:00:00.000+02:00 » (always milliseconds, never « Z »: a reader sees the
/// place's local time).
std::string formatInstant(Instant t, const date::time_zone& zone);

/// A FHIR date or dateTime as written, before any zone is applied:
/// YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.fraction]][Z|±hh:mm] (a fraction kept to the
/// microsecond, an offset up to ±14:00, no leap second).
struct WrittenDateTime {
  date::local_days day;
  std::optional<std::chrono::microseconds> timeOfDay;  // none: a date alone
  std::optional<std::chrono::minutes> offset;          // « Z »: zero; none: no offset written
};

/// Reads `text` whole; none when it is not of that form or names no real date.
std::optional<WrittenDateTime> readDateTime(std::string_view text);

/// The instant a dateTime with its offset names, its fraction of a second dropped; none for a
/// date alone or a time without offset, which only a zone could place.
std::optional<Instant> instantWithOffset(const WrittenDateTime& written);

/// A French telephone number in international form: « +33 » and 9 digits, or the overseas
/// country codes by the number's first digits (ARCEP's plan):
///   +262 Réunion 0262 0263 0692 0693, Mayotte 0269 0639;
///   +590 Guadeloupe, Saint-Martin, Saint-Barthélemy 0590 0690 0691;
///   +596 Martinique 0596 0696 0697;   +594 Guyane 0594 0694;
/// every other 0 + 9 digits is +33 (09 non-geographic numbers included, wherever they ring).
/// Read from « 01 42 00 00 09 », « 01.42.00.00.09 », « 0142000009 », « +33 1 42 … »,
/// « +33 (0)1 42 … », « 0033 1 42 … », « +262 262 … »; a +33 written before an overseas
/// number (« +33 262 … ») gets the overseas code. None for what is not such a number: letters,
/// another length, a foreign country code, a « + » anywhere but first.
std::optional<std::string> internationalPhone(std::string_view raw);

}  // namespace sas::domain::fhir
