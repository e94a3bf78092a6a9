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

/// The « RPPS rang » of a professional's own practice (the 11-digit RPPS number then the
/// practice's rank: its IDNST is « 4 » + it), from the directory's « Ancien identifiant de la
/// structure », which is that IDNST (« 3 » + SIRET, « 0 » + ADELI rang … for others); empty
/// when it names none. The « Identifiant technique de la structure » (« R1… ») is the
/// directory's own key, not a national identifier: it is not read as one.
std::string rppsRangOf(std::string_view formerIdentifier);

/// Whether `digits` is of an RPPS rang's form: the 11-digit RPPS then at least one digit of
/// rank, 20 digits at most.
bool isRppsRang(std::string_view digits);

}  // namespace sas::domain
