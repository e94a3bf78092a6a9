#pragma once
// `sas import-directory FILE`: the health professionals' practice places from the public
// Annuaire Santé extraction PS_LibreAcces_Personne_activite ('|'-separated, one line per
// activity, a header line naming the columns). Columns are found by their header names (the
// extraction's, with or without their « (coord. structure) » suffix):
//   Identification nationale PP   Nom d'exercice   Prénom d'exercice   Libellé profession
//   Libellé savoir-faire   Numéro SIRET site   Numéro FINESS site
//   Identifiant technique de la structure   Ancien identifiant de la structure
//   Raison sociale site   Enseigne commerciale site
//   Numéro Voie   Indice répétition voie   Libellé type de voie   Libellé Voie
//   Code postal   Libellé commune   Téléphone
// A line without a site (no SIRET, FINESS nor technical id) or without an address is skipped.
// Each site of a professional becomes a Structure + Place owned by his directory entry, placed
// by the platform's geocoder; importing again updates the entry and never duplicates a place.
#include <istream>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/geocoder.hpp"
#include "app/ports/identity.hpp"
#include "app/ports/repositories.hpp"

namespace sas::app {

struct DirectoryReport {
  int professionals = 0;
  int placesCreated = 0;
  int placesKept = 0;
  int skipped = 0;
  std::vector<std::string> rejected;  // « ligne 12 : … »
};

class DirectoryImport {
 public:
  DirectoryImport(DirectoryRepository& directory, StructureRepository& structures,
                  Geocoder& geocoder)
      : directory_(directory), structures_(structures), geocoder_(geocoder) {}
  DirectoryReport run(std::istream& in);

 private:
  DirectoryRepository& directory_;
  StructureRepository& structures_;
  Geocoder& geocoder_;
};

/// A Structure + Place for a practice place (shared with the Pro Santé Connect sign-in, whose
/// SubjectRefPro gives the same activities); returns the structure's id. Its type is read from
/// its name (domain::practicePlaceKind: an MSP, a centre, SOS Médecins, else a cabinet); its
/// town is the activity's, else the commune of its postal code, else its post office's name
/// (docs/rules.md#psc-first-login).
std::int64_t createPracticePlace(StructureRepository& structures, Geocoder& geocoder,
                                 const PracticeActivity& a, const std::string& fallbackName);

/// The town of a practice place as createPracticePlace stores it; `located` is where its
/// address was placed.
std::string practicePlaceTown(Geocoder& geocoder, const PracticeActivity& a,
                              const GeocodeResult& located);
/// `sas demo-data`: the directory entries of the local test provider's professionals
/// (tests/oidc/provider.mjs): 899700000003 with two practice places, and the demo centre of
/// Paris 16e when it exists, the others without (899700000004 is the guide's case 3). Imported like
/// a file, so loading it again changes nothing.
DirectoryReport addDemoProfessionals(DirectoryRepository& directory,
                                     StructureRepository& structures, Geocoder& geocoder);

/// `sas demo-data`: the professionals that other systems' test kits ask our FHIR publisher
/// for (docs/fhir.md#demo-set): 810000000009 Jean Dupont (Paris 18e: a daily créneau at 09:00
/// and plage at 14:00 for 3, nothing tomorrow), 810000000017 Marie Martin (Lyon 4e and
/// Villeurbanne), 810000000058 Anne Hoarau (Saint-Denis, La Réunion), 810000000041 Luc Bernard
/// (no place). Loading it again changes nothing.
DirectoryReport addPublisherDemoSet(DirectoryRepository& directory, StructureRepository& structures,
                                    AgendaRepository& agenda, Geocoder& geocoder,
                                    const Clock& clock);

}  // namespace sas::app
