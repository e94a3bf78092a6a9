#include "http/pages/csv.hpp"

namespace sas::http {

void appendCsvCell(std::string& out, std::string_view cell) {
  // OWASP « CSV Injection »: these first characters start a formula in Excel and LibreOffice.
  const bool formula = !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' ||
                                         cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r');
  const bool quoted = cell.find_first_of(";\"\n\r") != std::string_view::npos;
  if (quoted) out += '"';
  if (formula) out += '\'';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quoted) out += '"';
}

void appendCsvLine(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ';';
    appendCsvCell(out, cells[i]);
  }
  out += "\r\n";
}

}  // namespace sas::http
