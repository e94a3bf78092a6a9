#pragma once
// The result of checking what a user typed: a value, or French messages tied to fields.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sas::domain {

struct FieldError {
  std::string field;    // the form field's name; empty for the form as a whole
  std::string message;  // French, shown next to the field
};

template <class T>
struct Checked {
  std::optional<T> value;
  std::vector<FieldError> errors;

  bool ok() const { return value.has_value() && errors.empty(); }
  static Checked success(T v) { return Checked{std::move(v), {}}; }
  static Checked failure(std::vector<FieldError> e) { return Checked{std::nullopt, std::move(e)}; }
};

}  // namespace sas::domain
