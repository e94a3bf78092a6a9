#pragma once
// The national numbers of a practice place as the directory extraction and Pro Santé Connect's
// claims write them (« 123 456 789 00011 », « 75.000.123.4 », « 2a0000123 »), reduced to one
// form, so that the same place has the same key whichever source names it.
#include <string>
#include <string_view>

namespace sas::domain {

/// A SIRET (14 digits): spaces, dots, dashes and other separators dropped; empty when anything
/// but 14 digits is left.
std::string cleanSiret(std::string_view raw);

/// A FINESS number (9 characters: the département, « 2A » / « 2B » for Corsica, then digits):
/// separators dropped, letters upper-cased; empty when it is not of that form.
std::string cleanFiness(std::string_view raw);

/// The RPPS number (11 digits) in a national identifier of the directory or Pro Santé Connect
/// (« 8 » then the RPPS); empty for another identifier (an ADELI number starts with « 0 »).
std::string rppsOf(std::string_view nationalId);

}  // namespace sas::domain
