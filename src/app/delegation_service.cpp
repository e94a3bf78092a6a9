#include "app/delegation_service.hpp"

#include <algorithm>

#include "app/errors.hpp"

namespace sas::app {

bool DelegationService::delegates(const Actor& actor) {
  return actor.user.role == Role::StructureManager || actor.user.role == Role::Practitioner;
}

std::vector<User> DelegationService::delegatesOf(const Actor& actor) {
  if (!delegates(actor)) throw AppError(ErrorCode::Forbidden, "delegates");
  return delegations_.delegatesOf(actor.user.id);
}

User DelegationService::delegateOf(const Actor& actor, std::int64_t delegateId) {
  for (auto& u : delegatesOf(actor))
    if (u.id == delegateId) return u;
  // Not his délégataire and no such account answer the same.
  throw AppError(ErrorCode::NotFound, "delegate " + std::to_string(delegateId));
}

void DelegationService::end(const Actor& actor, std::int64_t delegateId) {
  if (!delegates(actor)) throw AppError(ErrorCode::Forbidden, "delegates");
  const auto object = "user:" + std::to_string(delegateId);
  if (!delegations_.end(delegateId, actor.user.id,
                        {actor.user.id, "delegation.end", object,
                         "user:" + std::to_string(actor.user.id), actor.clientAddress},
                        clock_.now()))
    throw AppError(ErrorCode::NotFound, "delegate " + std::to_string(delegateId));
}

std::vector<Principal> DelegationService::principals(const Actor& actor) {
  if (actor.user.role != Role::Delegate) throw AppError(ErrorCode::Forbidden, "not a delegate");
  std::vector<Principal> out;
  for (auto& user : delegations_.principalsOf(actor.user.id)) {
    // Only what Actor::delegated lends (read with the session): a disabled account, one no
    // longer a manager's or moved to another territory lends nothing, and is not listed.
    if (user.disabled || !(user.role == Role::StructureManager || user.role == Role::Practitioner))
      continue;
    Principal p{std::move(user), {}};
    auto linked = structures_.structuresByIds(users_.linkedStructureIds(p.user.id));
    const bool hasStructures = !linked.empty();
    for (auto& s : linked) {
      const bool lent =
          std::any_of(actor.delegated.begin(), actor.delegated.end(),
                      [&](const DelegatedStructure& d) { return d.structureId == s.id; });
      if (!lent) continue;
      auto places = structures_.placesOfStructure(s.id);
      p.structures.emplace_back(std::move(s), std::move(places));
    }
    if (hasStructures && p.structures.empty()) continue;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace sas::app
