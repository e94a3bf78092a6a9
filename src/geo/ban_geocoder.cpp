#include "geo/ban_geocoder.hpp"

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

namespace sas::geo {
namespace {

using app::GeocodeResult;

constexpr std::size_t kAsked = 5;
constexpr double kCloseScore = 0.95;  // another town's feature this close to the best: ask

std::string departementOf(const std::string& citycode) {
  if (citycode.rfind("97", 0) == 0 && citycode.size() >= 3) return citycode.substr(0, 3);
  return citycode.substr(0, 2);
}

app::LocationKind kindOf(const std::string& type) {
  return type == "municipality" ? app::LocationKind::Town : app::LocationKind::Address;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.7f", v);
  return buffer;
}

// "ban:<lat>:<lon>:<citycode>:<type>:<label>": a choice holds all it needs, so that choosing
// it asks nothing more of the BAN.
std::string choiceKey(const app::Location& l, const std::string& citycode,
                      const std::string& type) {
  return "ban:" + number(l.latitude) + ":" + number(l.longitude) + ":" + citycode + ":" + type +
         ":" + l.label;
}

}  // namespace

GeocodeResult readBanAnswer(const std::string& body) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string{"BAN : réponse illisible : "} + e.what());
  }
  if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array())
    throw std::runtime_error("BAN : réponse sans « features »");
  struct Feature {
    app::Location location;
    std::string citycode;
    std::string type;
    double score = 0;
  };
  std::vector<Feature> features;
  for (const auto& f : doc["features"]) {
    try {
      const auto& p = f.at("properties");
      const auto& c = f.at("geometry").at("coordinates");
      Feature x;
      x.location.label = p.at("label").get<std::string>();
      x.location.longitude = c.at(0).get<double>();
      x.location.latitude = c.at(1).get<double>();
      x.citycode = p.at("citycode").get<std::string>();
      x.location.town = p.value("city", "");
      x.type = p.value("type", "housenumber");
      x.score = p.value("score", 0.0);
      x.location.kind = kindOf(x.type);
      x.location.departement = departementOf(x.citycode);
      features.push_back(std::move(x));
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string{"BAN : élément illisible : "} + e.what());
    }
  }
  GeocodeResult r;
  if (features.empty()) return r;
  std::stable_sort(features.begin(), features.end(),
                   [](const Feature& a, const Feature& b) { return a.score > b.score; });
  std::vector<const Feature*> close{&features.front()};
  std::set<std::string> towns{features.front().citycode};
  for (std::size_t i = 1; i < features.size(); ++i)
    if (features[i].score >= features.front().score * kCloseScore &&
        towns.insert(features[i].citycode).second)
      close.push_back(&features[i]);
  if (close.size() == 1) {
    r.status = GeocodeResult::Status::Found;
    r.location = features.front().location;
    return r;
  }
  r.status = GeocodeResult::Status::Ambiguous;
  for (const auto* f : close)
    r.choices.push_back({choiceKey(f->location, f->citycode, f->type), f->location.label});
  return r;
}

BanGeocoder::BanGeocoder(std::string baseUrl, std::chrono::milliseconds timeout,
                         OfflineGeocoder& offline)
    : baseUrl_(std::move(baseUrl)), timeout_(timeout), offline_(offline) {
  while (!baseUrl_.empty() && baseUrl_.back() == '/') baseUrl_.pop_back();
}

GeocodeResult BanGeocoder::geocode(const std::string& text) {
  auto local = offline_.geocode(text);
  // Towns, postal codes and départements: the embedded data is exact, no need to ask.
  if (local.status == GeocodeResult::Status::Found &&
      local.location.kind != app::LocationKind::Address)
    return local;
  if (local.status == GeocodeResult::Status::Ambiguous && !local.choices.empty() &&
      local.choices.front().key.rfind("adresse:", 0) != 0)
    return local;
  try {
    Poco::URI uri(baseUrl_ + "/search/");
    uri.addQueryParameter("q", text);
    uri.addQueryParameter("limit", std::to_string(kAsked));
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https")
      session = std::make_unique<Poco::Net::HTTPSClientSession>(
          uri.getHost(), uri.getPort(),
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                 Poco::Net::Context::VERIFY_RELAXED, 9, true));
    else
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout_.count()) * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/json");
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
      throw std::runtime_error("BAN : statut " + std::to_string(response.getStatus()));
    auto answer = readBanAnswer(body);
    if (answer.status == GeocodeResult::Status::NotFound) return local;
    return answer;
  } catch (const Poco::Exception& e) {
    Poco::Logger::get("sas.geo").warning("BAN injoignable, position approximative : %s",
                                         e.displayText());
  } catch (const std::exception& e) {
    Poco::Logger::get("sas.geo").warning("BAN inutilisable, position approximative : %s",
                                         std::string{e.what()});
  }
  return local;
}

GeocodeResult BanGeocoder::resolve(const std::string& key) {
  if (key.rfind("ban:", 0) != 0) return offline_.resolve(key);
  // ban:<lat>:<lon>:<citycode>:<type>:<label>
  std::vector<std::string> parts;
  std::size_t start = 4;
  for (int i = 0; i < 4; ++i) {
    const auto colon = key.find(':', start);
    if (colon == std::string::npos) return {};
    parts.push_back(key.substr(start, colon - start));
    start = colon + 1;
  }
  GeocodeResult r;
  try {
    r.location.latitude = std::stod(parts[0]);
    r.location.longitude = std::stod(parts[1]);
  } catch (const std::exception&) {
    return {};
  }
  r.location.departement = departementOf(parts[2]);
  r.location.kind = kindOf(parts[3]);
  r.location.label = key.substr(start);
  r.status = GeocodeResult::Status::Found;
  return r;
}

}  // namespace sas::geo
