// « En cas de difficulté… » over real HTTP: the FAQ, « Formulaire d'assistance » with files sent
// as multipart/form-data (checked on their content), the emails received by a real SMTP server
// with their attachments, one request per form sent, « Espace de formation », and the
// administrators' list of requests.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include <soci/soci.h>

#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "support/assistance_form.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";
const std::filesystem::path kFiles = std::filesystem::path(SAS_SOURCE_DIR) / "tests/support/files";

std::string readFile(const std::filesystem::path& p) {
  return readBytes(p);
}

FilePart sample(const std::string& name) {
  return sampleFile(name);
}

class SupportTest : public ::testing::Test {
 protected:
  SupportTest()
      : platform_(parisTime(2026, 3, 4, 10), [this](config::Config& c) {
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
          c.supportDefaultAddress = "support@sas.test";
          c.supportAddressByTerritory[1] = "support-idf@sas.test";
          c.supportAddressBySubject["compte"] = "comptes@sas.test";
        }) {
    territory_ = platform_.platform().accountStore().createTerritory(
        {0, "ARS Île-de-France", {"75"}}, {std::nullopt, "test", "", "", ""},
        platform_.clock().now());
    auto [structure, place] = platform_.addCentre("Centre de santé Michel-Ange");
    (void)place;
    platform_.addUser("gestionnaire@sas.test", kPassword, app::Role::StructureManager, {structure},
                      territory_);
    platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  }

  /// The form's fields as a user fills them in (with the form's own key and CSRF token).
  Form filled(const std::string& formPage) {
    return filledAssistanceForm(formPage, "camille.martin@example.fr");
  }

  /// POST multipart/form-data with the browser's cookies, as a browser sends it.
  Page postMultipart(Browser& b, const std::string& path, const Form& fields,
                     const std::vector<FilePart>& files) {
    return test::postMultipart(b, platform_.port(), path, fields, files);
  }

  /// Fills in the form and sends it with these files.
  Page send(Browser& b, const std::vector<FilePart>& files) {
    auto form = b.get("/assistance");
    EXPECT_EQ(form.status, 200);
    return postMultipart(b, "/assistance", filled(form.body), files);
  }

  /// Files kept with the requests (in the database: every server process serves them).
  std::size_t storedFiles() {
    storage::Connection c(platform_.platform().database());
    int n = 0;
    c.sql() << "SELECT COUNT(*) FROM support_attachments", soci::into(n);
    return static_cast<std::size_t>(n);
  }

  std::string storedName() {
    storage::Connection c(platform_.platform().database());
    std::string name;
    c.sql() << "SELECT stored_name FROM support_attachments", soci::into(name);
    return name;
  }

  SmtpSink smtp_;
  TestPlatform platform_;
  std::int64_t territory_ = 0;
};

TEST_F(SupportTest, FaqIsReachedFromTheHeaderAndFooterAndOpensAnswersByTheme) {
  Browser b(platform_.port());
  auto home = b.get("/");
  EXPECT_NE(home.body.find("href=\"/faq\""), std::string::npos);
  EXPECT_NE(home.body.find("FAQ et support"), std::string::npos);
  EXPECT_GE(count(home.body, "href=\"/faq\""), 2u);  // « ? » and the footer
  auto faq = b.get("/faq");
  ASSERT_EQ(faq.status, 200);
  EXPECT_NE(faq.body.find("href=\"/faq/connexion\""), std::string::npos);
  EXPECT_NE(faq.body.find("Formulaire d'assistance"), std::string::npos);
  auto theme = b.get("/faq/connexion");
  ASSERT_EQ(theme.status, 200);
  EXPECT_NE(theme.body.find("<details"), std::string::npos);
  EXPECT_NE(theme.body.find("<summary"), std::string::npos);
  EXPECT_NE(theme.body.find("Mot de passe oublié"), std::string::npos);
  EXPECT_EQ(b.get("/faq/inconnu").status, 404);
  EXPECT_EQ(b.get("/faq/..%2F..%2Fconfig").status, 404);
}

TEST_F(SupportTest, FaqHasAThemeForRegulatorsAndIoaProfessionalsAndDelegates) {
  Browser b(platform_.port());
  const auto faq = b.get("/faq");
  ASSERT_EQ(faq.status, 200);
  // Each theme listed, and its answers name the buttons of the pages it explains.
  const std::vector<std::pair<std::string, std::vector<std::string>>> themes{
      {"orientation",
       {"Adresser un patient (régulateurs et IOA)", "Continuer", "Confirmer",
        "Référence du dossier de régulation", "Ce créneau vient d'être pris",
        "Annuler l'orientation", "Mes orientations", "Patient non venu"}},
      {"professionnels-de-sante",
       {"Pro Santé Connect", "S'identifier avec Pro Santé Connect", "Mise à jour du compte",
        "Ce compte existe déjà", "Vos lieux d'exercice", "Je participe au SAS",
        "Vos délégataires"}},
      {"delegation",
       {"Délégataires et délégation", "Vos professionnels de santé liés",
        "Vos gestionnaires de structures liés", "Mettre fin à la délégation",
        "Confirmer la fin de la délégation", "avenant n°4"}},
  };
  for (const auto& [slug, words] : themes) {
    EXPECT_NE(faq.body.find("href=\"/faq/" + slug + "\""), std::string::npos) << slug;
    const auto page = b.get("/faq/" + slug);
    ASSERT_EQ(page.status, 200) << slug;
    EXPECT_GE(count(page.body, "<details"), 5u) << slug;
    for (const auto& word : words)
      EXPECT_NE(page.body.find(word), std::string::npos) << slug << ": " << word;
  }
}

TEST_F(SupportTest, FormIsPrefilledFromTheAccount) {
  Browser b(platform_.port());
  b.login("gestionnaire@sas.test", kPassword);
  auto form = b.get("/assistance");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"gestionnaire@sas.test\""), std::string::npos);
  EXPECT_NE(form.body.find("value=\"Durand\""), std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"gestionnaire_structure\" selected>"),
            std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"" + std::to_string(territory_) + "\" selected>"),
            std::string::npos);
  EXPECT_NE(form.body.find("enctype=\"multipart/form-data\""), std::string::npos);
}

TEST_F(SupportTest, WithoutAccountAndWithoutFileTheRequestIsRoutedAndAcknowledged) {
  Browser b(platform_.port());
  auto r = send(b, {});
  ASSERT_EQ(r.status, 303) << r.body;
  const auto reference = referenceOf(r);
  ASSERT_TRUE(std::regex_match(reference, std::regex("SAS-20260304-[A-Z0-9]{6}"))) << reference;
  auto sent = b.get(r.location);
  EXPECT_NE(sent.body.find(reference), std::string::npos);
  EXPECT_EQ(platform_.platform().deliverMail(), 2);
  auto routed = smtp_.messagesTo("support@sas.test");
  ASSERT_EQ(routed.size(), 1u);
  EXPECT_NE(routed[0].find(reference), std::string::npos);
  EXPECT_NE(routed[0].find("Je ne vois pas mes disponibilit"), std::string::npos);
  auto ack = smtp_.messagesTo("camille.martin@example.fr");
  ASSERT_EQ(ack.size(), 1u);
  EXPECT_NE(ack[0].find(reference), std::string::npos);
  EXPECT_EQ(storedFiles(), 0u);
}

TEST_F(SupportTest, OneFileIsStoredAndSentAsAnAttachmentToTheTerritorysAddress) {
  Browser b(platform_.port());
  auto form = b.get("/assistance");
  auto fields = filled(form.body);
  for (auto& [k, v] : fields)
    if (k == "territoire") v = std::to_string(territory_);
  ASSERT_EQ(territory_, 1);  // the override of the configuration above
  const auto pdf = sample("capture.pdf");
  auto r = postMultipart(b, "/assistance", fields, {pdf});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(storedFiles(), 1u);
  EXPECT_EQ(platform_.platform().deliverMail(), 2);
  auto routed = smtp_.messagesTo("support-idf@sas.test");
  ASSERT_EQ(routed.size(), 1u);
  EXPECT_NE(routed[0].find("multipart/mixed"), std::string::npos);
  EXPECT_NE(routed[0].find("capture.pdf"), std::string::npos);
  EXPECT_NE(routed[0].find("application/pdf"), std::string::npos);
  EXPECT_NE(routed[0].find(mailBase64(pdf.content.substr(0, 48))), std::string::npos);
  EXPECT_NE(routed[0].find("text/plain"), std::string::npos);
  EXPECT_NE(routed[0].find("text/html"), std::string::npos);
  EXPECT_TRUE(smtp_.messagesTo("support@sas.test").empty());
}

TEST_F(SupportTest, SubjectOverrideRoutesWhenTheTerritoryHasNone) {
  Browser b(platform_.port());
  auto form = b.get("/assistance");
  auto fields = filled(form.body);
  for (auto& [k, v] : fields)
    if (k == "concerne") v = "compte";
  ASSERT_EQ(postMultipart(b, "/assistance", fields, {}).status, 303);
  platform_.platform().deliverMail();
  EXPECT_EQ(smtp_.messagesTo("comptes@sas.test").size(), 1u);
}

TEST_F(SupportTest, ThreeFilesOfEveryFormatAreAccepted) {
  Browser b(platform_.port());
  auto r = send(b, {sample("capture.pdf"), sample("capture.png"), sample("photo.jpg")});
  ASSERT_EQ(r.status, 303) << r.body;
  r = send(b, {sample("tableau.xls"), sample("diaporama.ppt"), sample("modele.potx")});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(storedFiles(), 6u);
  EXPECT_EQ(platform_.platform().deliverMail(), 4);
  auto routed = smtp_.messagesTo("support@sas.test");
  ASSERT_EQ(routed.size(), 2u);
  for (const char* name : {"capture.pdf", "capture.png", "photo.jpg"})
    EXPECT_NE(routed[0].find(name), std::string::npos) << name;
  for (const char* name : {"tableau.xls", "diaporama.ppt", "modele.potx"})
    EXPECT_NE(routed[1].find(name), std::string::npos) << name;
  EXPECT_NE(routed[1].find("application/vnd.ms-excel"), std::string::npos);
  EXPECT_NE(routed[1].find("presentationml.template"), std::string::npos);
}

TEST_F(SupportTest, FourFilesAreRefusedAndTheFormKeepsWhatWasTyped) {
  Browser b(platform_.port());
  auto r = send(b, {sample("capture.pdf"), sample("capture.png"), sample("photo.jpg"),
                    sample("capture.pdf")});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("Le nombre maximal de pièces jointes est de 3"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"Martin\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"01 22 33 44 55\""), std::string::npos);
  EXPECT_NE(r.body.find("Je ne vois pas mes disponibilités de mardi."), std::string::npos);
  EXPECT_NE(r.body.find("<option value=\"disponibilites\" selected>"), std::string::npos);
  EXPECT_NE(r.body.find("choisissez-les à nouveau"), std::string::npos);
  EXPECT_EQ(storedFiles(), 0u);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
}

TEST_F(SupportTest, TenMegabytesAreAcceptedAndOneByteMoreIsRefused) {
  std::string big = readFile(kFiles / "capture.pdf");
  big.resize(10485760, ' ');
  Browser b(platform_.port());
  auto r = send(b, {{"gros.pdf", big}});
  ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
  Browser admin(platform_.port());
  admin.login("admin@sas.test", kPassword);
  EXPECT_EQ(admin.get("/support/1/fichiers/1").body, big);
  big.push_back(' ');
  r = send(b, {{"trop-gros.pdf", big}});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(
      r.body.find("« trop-gros.pdf » : la taille maximale d&apos;une pièce jointe est de 10 Mo"),
      std::string::npos);
  EXPECT_EQ(storedFiles(), 1u);
}

TEST_F(SupportTest, ContentMustAgreeWithTheExtension) {
  Browser b(platform_.port());
  auto png = sample("capture.png");
  auto r = send(b, {{"capture.pdf", png.content}});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("« capture.pdf » : son contenu n&apos;est pas celui d&apos;un fichier PDF"),
            std::string::npos);
  // A program renamed .png.
  auto exe = readFile("/proc/self/exe").substr(0, 8192);
  r = send(b, {{"photo.png", exe}});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("« photo.png » : son contenu n&apos;est pas celui d&apos;un fichier PNG"),
            std::string::npos);
  // A format that is not allowed at all.
  r = send(b, {{"script.sh", "#!/bin/sh\necho hello\n"}});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("les formats autorisés sont pdf, jpeg, png, xls, ppt, potx"),
            std::string::npos);
  EXPECT_EQ(storedFiles(), 0u);
}

TEST_F(SupportTest, PotxZipBombAndPlainPresentationAreRefused) {
  Browser b(platform_.port());
  auto r = send(b, {sample("bombe.potx")});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("« bombe.potx » : ce modèle PowerPoint (potx) se décompresse en un "
                        "volume anormal"),
            std::string::npos);
  r = send(b, {sample("presentation.potx")});
  ASSERT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("ne déclare pas de modèle de présentation"), std::string::npos);
  EXPECT_EQ(storedFiles(), 0u);
}

TEST_F(SupportTest, PathTraversalFileNameIsOnlyALabel) {
  Browser b(platform_.port());
  const auto png = sample("capture.png");
  auto r = send(b, {{"../../../../tmp/evil.png", png.content}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_FALSE(std::filesystem::exists("/tmp/evil.png"));
  ASSERT_EQ(storedFiles(), 1u);
  const auto stored = storedName();
  EXPECT_TRUE(std::regex_match(stored, std::regex("[A-Za-z0-9_-]{32}\\.png"))) << stored;

  Browser admin(platform_.port());
  admin.login("admin@sas.test", kPassword);
  auto list = admin.get("/support");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(">evil.png"), std::string::npos);
  auto file = admin.get("/support/1/fichiers/1");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, png.content);
  EXPECT_EQ(file.headers["Content-Type"], "image/png");
  EXPECT_NE(file.headers["Content-Disposition"].find("attachment; filename=\"evil.png\""),
            std::string::npos);
}

TEST_F(SupportTest, CsrfIsRequiredBeforeAndAfterLogin) {
  Browser b(platform_.port());
  auto form = b.get("/assistance");
  auto fields = filled(form.body);
  fields[0].second = "faux-jeton-faux-jeton-faux-jeton-faux";
  EXPECT_EQ(postMultipart(b, "/assistance", fields, {sample("capture.pdf")}).status, 400);
  fields.erase(fields.begin());
  EXPECT_EQ(postMultipart(b, "/assistance", fields, {sample("capture.pdf")}).status, 400);
  Browser logged(platform_.port());
  logged.login("gestionnaire@sas.test", kPassword);
  auto other = logged.get("/assistance");
  auto loggedFields = filled(other.body);
  loggedFields[0].second = inputValue(form.body, "csrf");  // another visitor's token
  EXPECT_EQ(postMultipart(logged, "/assistance", loggedFields, {}).status, 400);
  EXPECT_EQ(storedFiles(), 0u);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
}

TEST_F(SupportTest, DoubleSubmissionCreatesOneRequest) {
  Browser b(platform_.port());
  auto form = b.get("/assistance");
  const auto fields = filled(form.body);
  auto first = postMultipart(b, "/assistance", fields, {sample("capture.png")});
  auto second = postMultipart(b, "/assistance", fields, {sample("capture.png")});
  ASSERT_EQ(first.status, 303);
  ASSERT_EQ(second.status, 303);
  EXPECT_EQ(first.location, second.location);
  EXPECT_EQ(storedFiles(), 1u);
  EXPECT_EQ(platform_.platform().deliverMail(), 2);
  Browser admin(platform_.port());
  admin.login("admin@sas.test", kPassword);
  EXPECT_EQ(count(admin.get("/support").body, "Demande n° "), 1u);
}

TEST_F(SupportTest, OnlyAdministratorsListRequestsAndDownloadFiles) {
  Browser b(platform_.port());
  ASSERT_EQ(send(b, {sample("capture.pdf")}).status, 303);
  Browser manager(platform_.port());
  manager.login("gestionnaire@sas.test", kPassword);
  EXPECT_EQ(manager.get("/support").status, 403);
  EXPECT_EQ(manager.get("/support/1/fichiers/1").status, 403);
  Browser anonymous(platform_.port());
  EXPECT_EQ(anonymous.get("/support").status, 303);
  EXPECT_EQ(anonymous.get("/support/1/fichiers/1").status, 303);
  Browser admin(platform_.port());
  admin.login("admin@sas.test", kPassword);
  auto list = admin.get("/support");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("capture.pdf"), std::string::npos);
  EXPECT_NE(list.body.find("camille.martin@example.fr"), std::string::npos);
  EXPECT_EQ(admin.get("/support/1/fichiers/1").body, sample("capture.pdf").content);
  EXPECT_EQ(admin.get("/support/1/fichiers/2").status, 404);
  EXPECT_EQ(admin.get("/support/99/fichiers/1").status, 404);
  EXPECT_EQ(admin.get("/support/1/fichiers/0").status, 404);
}

TEST_F(SupportTest, RequestSizeIsCappedPerRouteBeforeReading) {
  Browser b(platform_.port());
  b.get("/assistance");
  const std::streamsize cap = 3 * 10485760 + (1 << 20);
  EXPECT_EQ(b.postAnnouncing("/assistance", cap + 1).status, 413);
  // Every other route keeps the general cap.
  EXPECT_EQ(b.postAnnouncing("/connexion", (1 << 20) + 1).status, 413);
}

TEST_F(SupportTest, TrainingSpaceListsAndServesTheDocumentsThatExist) {
  Browser b(platform_.port());
  auto page = b.get("/formation");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Espace de formation"), std::string::npos);
  const std::regex link("href=\"/formation/([^\"]+)\"");
  std::size_t listed = 0;
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), link), end; it != end; ++it) {
    const std::string file = (*it)[1];
    auto doc = b.get("/formation/" + file);
    ASSERT_EQ(doc.status, 200) << file;
    const auto path = std::filesystem::path(SAS_SOURCE_DIR) / "content/formation" / file;
    EXPECT_EQ(doc.body.size(), std::filesystem::file_size(path));
    EXPECT_EQ(doc.headers["Content-Length"], std::to_string(std::filesystem::file_size(path)));
    if (file.ends_with(".pdf")) {
      EXPECT_EQ(doc.headers["Content-Type"], "application/pdf");
      EXPECT_NE(doc.headers["Content-Disposition"].find("filename=\"" + file + "\""),
                std::string::npos);
    }
    ++listed;
  }
  // Only what exists is listed: as many links as files of the manifest present on disk (the
  // PDFs are printed by scripts/build-training, videos are listed once their file is there).
  const auto dir = std::filesystem::path(SAS_SOURCE_DIR) / "content/formation";
  std::ifstream manifestFile(dir / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifestFile);
  std::size_t present = 0;
  for (const auto& group : manifest.at("groupes"))
    for (const auto& doc : group.at("documents"))
      present += std::filesystem::exists(dir / doc.at("fichier").get<std::string>());
  EXPECT_EQ(listed, present);
  // The sources of the PDFs and their pictures are not downloads, whatever the path.
  EXPECT_EQ(b.get("/formation/manifest.json").status, 404);
  EXPECT_EQ(b.get("/formation/guide-regulateur.html").status, 404);
  EXPECT_EQ(b.get("/formation/fiche-regulateur.html").status, 404);
  EXPECT_EQ(b.get("/formation/style.css").status, 404);
  EXPECT_EQ(b.get("/formation/img/connexion.png").status, 404);
  EXPECT_EQ(b.get("/formation/img%2Fconnexion.png").status, 404);
  EXPECT_EQ(b.get("/formation/img").status, 404);
  EXPECT_EQ(b.get("/static/..%2Fcontent%2Fformation%2Fimg%2Fconnexion.png").status, 404);
  EXPECT_EQ(b.get("/formation/..%2F..%2Fconfig%2Fsas.properties").status, 404);
}

}  // namespace
}  // namespace sas::test
