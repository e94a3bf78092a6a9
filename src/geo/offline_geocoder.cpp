#include "geo/offline_geocoder.hpp"

#include <algorithm>

#include "domain/search_text.hpp"
#include "domain/text.hpp"

namespace sas::geo {
namespace {

using app::GeocodeResult;
using app::LocationKind;

std::string join(const std::vector<std::string>& w, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + w[i];
  return out;
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "75", "2a", "971", and "1" … "9" for "01" … "09"; empty when not a département code.
std::string departementCode(const std::string& w) {
  if (w == "2a" || w == "2b") return w == "2a" ? "2A" : "2B";
  if (!allDigits(w)) return {};
  if (w.size() == 1) return "0" + w;
  if (w.size() == 2 || (w.size() == 3 && w.rfind("97", 0) == 0)) return w;
  return {};
}

// « 16e », « 3eme », « 1er »: the number of an arrondissement, else 0.
int ordinal(const std::string& w) {
  std::size_t digits = 0;
  while (digits < w.size() && w[digits] >= '0' && w[digits] <= '9') ++digits;
  if (digits == 0 || digits > 2) return 0;
  const auto rest = w.substr(digits);
  if (rest != "e" && rest != "er" && rest != "eme" && rest != "ieme" && rest != "ere") return 0;
  return std::stoi(w.substr(0, digits));
}

// « 16 » of « Paris 16 »: a bare number that may be an arrondissement, else 0.
int bareNumber(const std::string& w) {
  if (w.empty() || w.size() > 2 || !allDigits(w) || w[0] == '0') return 0;
  return std::stoi(w);
}

std::string townLabel(const Commune& c) {
  return c.name + " (" + c.departement + ")";
}

app::Location townLocation(const Commune& c, LocationKind kind) {
  app::Location l;
  l.label = townLabel(c);
  l.kind = kind;
  l.latitude = c.latitude;
  l.longitude = c.longitude;
  l.departement = c.departement;
  l.town = c.name;
  return l;
}

std::string arrondissementLabel(const Arrondissement& a) {
  return a.name + " (" + a.departement + ")";
}

// The arrondissement, as a town (« Paris 16e ») or, when a street was typed, the address
// placed at its centre.
app::Location arrondissementLocation(const Gazetteer& gazetteer, const Arrondissement& a,
                                     LocationKind kind, const std::string& typed,
                                     const std::string& postalCode = "") {
  app::Location l;
  // The town is the city (« Paris »), not its arrondissement.
  if (const auto* city = gazetteer.byInsee(a.commune)) l.town = city->name;
  l.label = kind == LocationKind::Address      ? typed
            : kind == LocationKind::PostalCode ? postalCode + " " + a.name
                                               : arrondissementLabel(a);
  l.kind = kind;
  l.latitude = a.latitude;
  l.longitude = a.longitude;
  l.departement = a.departement;
  l.approximate = kind == LocationKind::Address;
  return l;
}

GeocodeResult found(app::Location l) {
  GeocodeResult r;
  r.status = GeocodeResult::Status::Found;
  r.location = std::move(l);
  return r;
}

}  // namespace

GeocodeResult OfflineGeocoder::towns(const std::vector<const Commune*>& list, LocationKind kind,
                                     const std::string& street, const std::string& typed) const {
  if (list.empty()) return {};
  if (list.size() == 1) {
    auto l = townLocation(*list.front(), kind);
    if (kind == LocationKind::Address) {
      l.label = typed;
      l.approximate = true;
    }
    return found(std::move(l));
  }
  auto sorted = list;
  std::sort(sorted.begin(), sorted.end(), [](const Commune* a, const Commune* b) {
    return a->population != b->population ? a->population > b->population : a->insee < b->insee;
  });
  if (sorted.size() > kMaxChoices) sorted.resize(kMaxChoices);
  GeocodeResult r;
  r.status = GeocodeResult::Status::Ambiguous;
  for (const auto* c : sorted) {
    if (kind == LocationKind::Address)
      r.choices.push_back({"adresse:" + c->insee + ":" + street, street + ", " + townLabel(*c)});
    else
      r.choices.push_back({"commune:" + c->insee, townLabel(*c)});
  }
  return r;
}

const Arrondissement* OfflineGeocoder::inArrondissement(
    const std::string& postalCode, const std::vector<const Commune*>& found) const {
  if (found.size() != 1) return nullptr;
  const auto* a = gazetteer_.arrondissementByPostalCode(postalCode);
  return a && a->commune == found.front()->insee ? a : nullptr;
}

GeocodeResult OfflineGeocoder::namedArrondissement(std::vector<std::string> w,
                                                   const std::string& typed) const {
  if (w.size() >= 3 && (w.back() == "arrondissement" || w.back() == "arr" || w.back() == "arrt"))
    w.pop_back();
  if (w.size() < 2) return {};
  int number = ordinal(w.back());
  const bool bare = number == 0;
  if (bare) number = bareNumber(w.back());
  if (number == 0) return {};
  w.pop_back();
  for (std::size_t length = w.size(); length >= 1; --length)
    for (const auto* c : gazetteer_.byFoldedName(join(w, w.size() - length, w.size()))) {
      const auto* a = gazetteer_.arrondissementOf(c->insee, number);
      // « Marseille 13 » is the town in its département, as « Paris 75 » is.
      if (!a || (bare && departementCode(std::to_string(number)) == c->departement)) continue;
      return found(arrondissementLocation(
          gazetteer_, *a, length == w.size() ? LocationKind::Town : LocationKind::Address, typed));
    }
  return {};
}

GeocodeResult OfflineGeocoder::geocode(const std::string& text) {
  const std::string typed = domain::trimmed(text);
  auto w = domain::foldedWords(domain::foldText(typed));
  if (w.empty()) return {};

  // A postal code anywhere: the towns that have it, narrowed by a town name typed beside it.
  auto pc =
      std::find_if(w.begin(), w.end(), [](const auto& x) { return x.size() == 5 && allDigits(x); });
  if (pc != w.end()) {
    const std::string code = *pc;
    const auto index = static_cast<std::size_t>(pc - w.begin());
    auto list = gazetteer_.byPostalCode(code);
    if (list.empty()) return {};
    std::vector<std::string> rest(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(index));
    rest.insert(rest.end(), w.begin() + static_cast<std::ptrdiff_t>(index) + 1, w.end());
    if (rest.empty()) {
      if (const auto* a = inArrondissement(code, list))
        return found(arrondissementLocation(gazetteer_, *a, LocationKind::PostalCode, typed, code));
      auto r = towns(list, LocationKind::PostalCode, "", typed);
      if (r.status == GeocodeResult::Status::Found)
        r.location.label = code + " " + list.front()->name;
      return r;
    }
    const std::string restText = " " + join(rest, 0, rest.size()) + " ";
    std::vector<const Commune*> named;
    std::size_t nameWords = 0;
    for (const auto* c : list)
      if (restText.find(" " + c->folded + " ") != std::string::npos) {
        named.push_back(c);
        nameWords = std::max(nameWords, domain::foldedWords(c->folded).size());
      }
    // « Plourin-lès-Morlaix » holds « Morlaix »: the longest name typed is the town meant.
    std::erase_if(
        named, [&](const Commune* c) { return domain::foldedWords(c->folded).size() < nameWords; });
    if (!named.empty()) list = named;
    const bool street = rest.size() > nameWords || named.empty();
    if (const auto* a = inArrondissement(code, list))
      return found(arrondissementLocation(
          gazetteer_, *a, street ? LocationKind::Address : LocationKind::PostalCode, typed, code));
    if (!street) {
      auto r = towns(list, LocationKind::PostalCode, "", typed);
      if (r.status == GeocodeResult::Status::Found)
        r.location.label = code + " " + list.front()->name;
      return r;
    }
    return towns(list, LocationKind::Address, typed, typed);
  }

  // « Paris 16e », « Lyon 3 », « 81 rue Michel-Ange Paris 16e »: at the arrondissement's centre.
  if (auto r = namedArrondissement(w, typed); r.status == GeocodeResult::Status::Found) return r;

  // « Saint-Denis 93 », « Paris 75 »: a département code at the end narrows (or is the search).
  std::string departement;
  if (w.size() >= 1) {
    const auto code = departementCode(w.back());
    if (!code.empty() && gazetteer_.departementByCode(code)) {
      departement = code;
      w.pop_back();
    }
  }
  const auto* dep = departement.empty() ? nullptr : gazetteer_.departementByCode(departement);
  auto departementResult = [&](const Departement& d) {
    app::Location l;
    l.label = d.area.name + " (" + d.area.code + ")";
    l.kind = LocationKind::Departement;
    l.latitude = d.latitude;
    l.longitude = d.longitude;
    l.departement = d.area.code;
    return found(std::move(l));
  };
  if (dep && w.empty()) return departementResult(*dep);
  if (dep && join(w, 0, w.size()) == dep->folded) return departementResult(*dep);
  while (!w.empty() && ordinal(w.back()) > 0) w.pop_back();
  if (w.empty()) return {};

  // The town is the longest run of words at the end (or else at the start) that names one.
  auto inDepartement = [&](std::vector<const Commune*> list) {
    if (!departement.empty())
      std::erase_if(list, [&](const Commune* c) { return c->departement != departement; });
    return list;
  };
  for (std::size_t length = w.size(); length >= 1; --length) {
    auto list = inDepartement(gazetteer_.byFoldedName(join(w, w.size() - length, w.size())));
    if (!list.empty()) {
      if (length == w.size()) return towns(list, LocationKind::Town, "", typed);
      return towns(list, LocationKind::Address, typed, typed);
    }
  }
  for (std::size_t length = w.size() - 1; length >= 1; --length) {
    auto list = inDepartement(gazetteer_.byFoldedName(join(w, 0, length)));
    if (!list.empty()) return towns(list, LocationKind::Address, typed, typed);
  }
  if (!dep)
    if (const auto* d = gazetteer_.departementByFoldedName(join(w, 0, w.size())))
      return departementResult(*d);
  return {};
}

GeocodeResult OfflineGeocoder::resolve(const std::string& key) {
  const auto colon = key.find(':');
  if (colon == std::string::npos) return {};
  const std::string kind = key.substr(0, colon);
  const std::string rest = key.substr(colon + 1);
  if (kind == "commune") {
    if (const auto* a = gazetteer_.arrondissementByInsee(rest))
      return found(arrondissementLocation(gazetteer_, *a, LocationKind::Town, ""));
    const auto* c = gazetteer_.byInsee(rest);
    if (!c) return {};
    return found(townLocation(*c, LocationKind::Town));
  }
  if (kind == "adresse") {
    const auto second = rest.find(':');
    const std::string street = second == std::string::npos ? "" : rest.substr(second + 1);
    if (const auto* a = gazetteer_.arrondissementByInsee(rest.substr(0, second)))
      return found(arrondissementLocation(
          gazetteer_, *a, LocationKind::Address,
          street.empty() ? arrondissementLabel(*a) : street + ", " + arrondissementLabel(*a)));
    const auto* c = gazetteer_.byInsee(rest.substr(0, second));
    if (!c) return {};
    auto l = townLocation(*c, LocationKind::Address);
    l.label = street.empty() ? townLabel(*c) : street + ", " + townLabel(*c);
    l.approximate = true;
    return found(std::move(l));
  }
  if (kind == "departement") {
    const auto* d = gazetteer_.departementByCode(rest);
    if (!d) return {};
    app::Location l;
    l.label = d->area.name + " (" + d->area.code + ")";
    l.kind = LocationKind::Departement;
    l.latitude = d->latitude;
    l.longitude = d->longitude;
    l.departement = d->area.code;
    return found(std::move(l));
  }
  return {};
}

}  // namespace sas::geo
