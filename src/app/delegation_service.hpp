#pragma once
// Délégataires (SPEC §12, docs/rules.md#delegates): the professional or structure manager sees
// who acts for him (« Vos délégataires ») and ends it; the délégataire sees whom he acts for and
// their places. What a délégataire may change is checked by Actor::managesStructure, his
// changes recorded on behalf of whom by Actor::auditEntry.
#include <cstdint>
#include <vector>

#include "app/actor.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/delegations.hpp"
#include "app/ports/repositories.hpp"

namespace sas::app {

/// One of those a délégataire acts for, with his structures and their places.
struct Principal {
  User user;
  std::vector<std::pair<Structure, std::vector<Place>>> structures;
};

class DelegationService {
 public:
  DelegationService(DelegationRepository& delegations, UserRepository& users,
                    StructureRepository& structures, const Clock& clock)
      : delegations_(delegations), users_(users), structures_(structures), clock_(clock) {}

  /// Structure managers and health professionals only; Forbidden for anybody else.
  static bool delegates(const Actor& actor);
  /// « Vos délégataires ».
  std::vector<User> delegatesOf(const Actor& actor);
  /// One of them; NotFound when he does not act for the actor.
  User delegateOf(const Actor& actor, std::int64_t delegateId);
  /// Ends the délégataire's delegation from the actor, at once; NotFound when he did not act
  /// for him.
  void end(const Actor& actor, std::int64_t delegateId);
  /// The délégataire's enabled professionals and managers, by name; Forbidden for another role.
  std::vector<Principal> principals(const Actor& actor);

 private:
  DelegationRepository& delegations_;
  UserRepository& users_;
  StructureRepository& structures_;
  const Clock& clock_;
};

}  // namespace sas::app
