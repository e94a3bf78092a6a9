#pragma once
// CSV for spreadsheets (the orientation figures, docs/rules.md#orientation-figures): cells
// separated by « ; » (what a French spreadsheet expects), UTF-8 with a BOM, RFC 4180 quoting,
// and cells that a spreadsheet would run as a formula neutralised (CSV injection).
#include <string>
#include <string_view>
#include <vector>

namespace sas::http {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Appends one cell: a leading = + - @ (or tab, carriage return) gets a ' before it, so that
/// the spreadsheet shows the text; a cell holding ; " or a line end is quoted, its " doubled.
void appendCsvCell(std::string& out, std::string_view cell);
/// Appends the cells separated by « ; », then CRLF.
void appendCsvLine(std::string& out, const std::vector<std::string>& cells);

}  // namespace sas::http
