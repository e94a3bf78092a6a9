// Static files (http/static_files): precompressed forms, validators, fingerprinted names.
#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace sas::http {
namespace {

namespace fs = std::filesystem;

std::string header(const StaticAnswer& a, const std::string& name) {
  for (const auto& [k, v] : a.headers)
    if (k == name) return v;
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    root_ = fs::temp_directory_path() / ("sas-static-" + std::to_string(std::random_device{}()));
    fs::create_directories(root_ / "css");
    write("css/site.css", std::string(2000, 'a'));
    write("css/site.css.gz", "gzip-bytes");
    write("css/site.css.br", "br-bytes");
    write("plain.txt", "hello");
    write(".hidden", "secret");
  }
  ~StaticFilesTest() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& bytes) {
    std::ofstream(root_ / rel, std::ios::binary) << bytes;
  }
  fs::path root_;
};

TEST_F(StaticFilesTest, ChoosesThePrecompressedFormTheBrowserAccepts) {
  StaticFiles files(root_);
  auto plain = files.serve("/static/css/site.css", "", "", "");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body->size(), 2000u);
  EXPECT_EQ(header(*plain, "Content-Encoding"), "");
  EXPECT_EQ(header(*plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header(*plain, "Content-Type"), "text/css; charset=utf-8");
  auto gz = files.serve("/static/css/site.css", "gzip, deflate", "", "");
  EXPECT_EQ(*gz->body, "gzip-bytes");
  EXPECT_EQ(header(*gz, "Content-Encoding"), "gzip");
  auto br = files.serve("/static/css/site.css", "gzip, deflate, br", "", "");
  EXPECT_EQ(*br->body, "br-bytes");
  EXPECT_EQ(header(*br, "Content-Encoding"), "br");
  auto refused = files.serve("/static/css/site.css", "br;q=0, gzip", "", "");
  EXPECT_EQ(header(*refused, "Content-Encoding"), "gzip");
  // Each form has its own validator.
  EXPECT_NE(header(*plain, "ETag"), header(*gz, "ETag"));
  EXPECT_NE(header(*gz, "ETag"), header(*br, "ETag"));
  // A file without compressed forms: as it is, no Vary.
  auto txt = files.serve("/static/plain.txt", "gzip, br", "", "");
  EXPECT_EQ(*txt->body, "hello");
  EXPECT_EQ(header(*txt, "Vary"), "");
}

TEST_F(StaticFilesTest, AStaleCompressedFormIsNotServed) {
  const auto old = fs::last_write_time(root_ / "css/site.css");
  fs::last_write_time(root_ / "css/site.css.gz", old - std::chrono::hours{1});
  StaticFiles files(root_);
  auto a = files.serve("/static/css/site.css", "gzip", "", "");
  EXPECT_EQ(header(*a, "Content-Encoding"), "");
}

TEST_F(StaticFilesTest, AnswersNotModifiedToTheValidatorsItGave) {
  StaticFiles files(root_);
  auto first = files.serve("/static/plain.txt", "", "", "");
  const auto etag = header(*first, "ETag");
  const auto lastModified = header(*first, "Last-Modified");
  ASSERT_FALSE(etag.empty());
  ASSERT_FALSE(lastModified.empty());
  EXPECT_EQ(files.serve("/static/plain.txt", "", etag, "")->status, 304);
  EXPECT_EQ(files.serve("/static/plain.txt", "", "\"other\", W/" + etag, "")->status, 304);
  EXPECT_EQ(files.serve("/static/plain.txt", "", "\"other\"", "")->status, 200);
  EXPECT_EQ(files.serve("/static/plain.txt", "", "", lastModified)->status, 304);
  EXPECT_EQ(files.serve("/static/plain.txt", "", "", "Mon, 01 Jan 2001 00:00:00 GMT")->status, 200);
  EXPECT_EQ(files.serve("/static/plain.txt", "", "", "not a date")->status, 200);
  // A changed file gets a new validator.
  write("plain.txt", "hello, world");
  fs::last_write_time(root_ / "plain.txt",
                      fs::file_time_type::clock::now() + std::chrono::hours{1});
  EXPECT_EQ(files.serve("/static/plain.txt", "", etag, "")->status, 200);
}

TEST_F(StaticFilesTest, FingerprintedNamesAreKeptForAYear) {
  StaticFiles files(root_);
  const auto url = files.url("css/site.css");
  EXPECT_EQ(url, "/static/css/site." + StaticFiles::fingerprint(std::string(2000, 'a')) + ".css");
  auto a = files.serve(url, "br", "", "");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(header(*a, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(*a, "Content-Encoding"), "br");
  // The plain name, and an old fingerprint, are cached briefly.
  EXPECT_EQ(header(*files.serve("/static/css/site.css", "", "", ""), "Cache-Control"),
            "public, max-age=3600");
  auto old = files.serve("/static/css/site.0123456789.css", "", "", "");
  EXPECT_EQ(old->status, 200);
  EXPECT_EQ(header(*old, "Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(files.url("missing.css"), "/static/missing.css");
}

TEST_F(StaticFilesTest, NothingOutsideTheFolderNorHidden) {
  const auto outside = fs::path(root_.string() + "-outside.txt");
  std::ofstream(outside) << "no";
  const auto escape = "/static/../" + outside.filename().string();
  StaticFiles files(root_);
  EXPECT_FALSE(files.serve("/lieux/1", "", "", ""));
  EXPECT_EQ(files.serve(escape, "", "", "")->status, 404);
  EXPECT_EQ(files.serve("/static/css/../.." + escape.substr(7), "", "", "")->status, 404);
  EXPECT_EQ(files.serve("/static/.hidden", "", "", "")->status, 404);
  EXPECT_EQ(files.serve("/static/css", "", "", "")->status, 404);
  EXPECT_EQ(files.serve("/static/", "", "", "")->status, 404);
  EXPECT_EQ(files.serve("/static/nope.css", "", "", "")->status, 404);
  fs::create_symlink(outside, root_ / "link.txt");
  EXPECT_EQ(files.serve("/static/link.txt", "", "", "")->status, 404);
  fs::remove(outside);
}

}  // namespace
}  // namespace sas::http
