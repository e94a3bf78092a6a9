#pragma once
// Password rules (docs/rules.md#accounts-and-passwords).
#include <string>
#include <string_view>
#include <vector>

namespace sas::domain {

enum class PasswordRule {
  MinLength,      // at least 12 characters (code points)
  MaxLength,      // at most 128
  UpperAndLower,  // upper- and lower-case letters (accented letters count)
  Digit,
  Special,        // one of !@#$%^&*()_+=-~`{}"?:><,./;'\[] or | or space
  ContainsEmail,  // the email's local part (≥ 4 characters), ignoring case
  InvalidText,    // not valid UTF-8
};

/// Every rule the password breaks, in the order above; empty when it is acceptable.
std::vector<PasswordRule> passwordFailures(std::string_view password, std::string_view email);
/// The French message naming the rule.
std::string describe(PasswordRule rule);
/// The rules as the guide lists them, for the page that asks for a password.
std::vector<std::string> passwordRulesText();

}  // namespace sas::domain
