#include "app/delegation_service.hpp"

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
    // As Actor::delegated: a disabled account, or one no longer a manager's, lends nothing.
    if (user.disabled || !(user.role == Role::StructureManager || user.role == Role::Practitioner))
      continue;
    Principal p{std::move(user), {}};
    for (auto& s : structures_.structuresByIds(users_.linkedStructureIds(p.user.id))) {
      auto places = structures_.placesOfStructure(s.id);
      p.structures.emplace_back(std::move(s), std::move(places));
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace sas::app
