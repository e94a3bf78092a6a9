#pragma once
// Small text helpers every layer shares (form fields, header values, imported files).
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sas::domain {

/// Spaces and tabs: what a form field or an HTTP header value is trimmed of.
inline constexpr std::string_view kBlanks = " \t";
/// Blanks and line ends: what a line of a file or a pasted text is trimmed of.
inline constexpr std::string_view kWhitespace = " \t\r\n";

/// `text` without any of `chars` at either end (a view into `text`).
std::string_view trim(std::string_view text, std::string_view chars = kWhitespace);
/// The same, as a string of its own (for a field kept after the input is gone).
std::string trimmed(std::string_view text, std::string_view chars = kWhitespace);

/// The parts that are not blank, trimmed of blanks, joined by one space (an address from its
/// number, street type and name, some of them often empty).
std::string joinWords(std::initializer_list<std::string_view> parts);

/// The fields of one line of an export split at `separator` (no quoting in the exports we
/// read); carriage returns are dropped, so a file saved on Windows reads the same.
std::vector<std::string> splitFields(std::string_view line, char separator);

/// A whole number written with digits only (no sign, no decimals, blanks around allowed) that
/// fits an int; none otherwise.
std::optional<int> parseWholeNumber(std::string_view text);

/// Number of Unicode code points in UTF-8 text (invalid bytes count one each): the length a
/// user reads, which limits such as « 1000 caractères » count.
std::size_t characterCount(std::string_view utf8);

}  // namespace sas::domain
