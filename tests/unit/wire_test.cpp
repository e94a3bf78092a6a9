// The server's request parsers (http/wire): what they accept, and every way they refuse.
#include "http/wire.hpp"

#include <gtest/gtest.h>

namespace sas::http::wire {
namespace {

TEST(WireUtf8, AcceptsWellFormedAndRefusesTheRest) {
  EXPECT_TRUE(validUtf8(""));
  EXPECT_TRUE(validUtf8("Évry, Saint-Étienne ✓ 😀"));
  EXPECT_FALSE(validUtf8("\xC3"));              // cut short
  EXPECT_FALSE(validUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(validUtf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(validUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(validUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(validUtf8("\xFF"));
  EXPECT_FALSE(validUtf8("a\x80z"));           // a lone continuation byte
  EXPECT_TRUE(validUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF itself
  EXPECT_TRUE(validUtf8("\xED\x9F\xBF"));      // U+D7FF, just before the surrogates
}

TEST(WirePercent, EncodesAllButUnreservedBytes) {
  EXPECT_EQ(percentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percentEncode("a b&c=d+e/f:g?h#i%j"), "a%20b%26c%3Dd%2Be%2Ff%3Ag%3Fh%23i%25j");
  EXPECT_EQ(percentEncode("été"), "%C3%A9t%C3%A9");
  EXPECT_EQ(percentEncode(std::string("\0\x7F", 2)), "%00%7F");
  EXPECT_EQ(percentEncode(""), "");
  const std::string any = "Saint-Étienne, 42 & co?";
  EXPECT_EQ(percentDecode(percentEncode(any), true), any);
}

TEST(WirePercent, DecodesAndRefusesBadEscapes) {
  EXPECT_EQ(percentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(percentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(percentDecode("%C3%A9t%C3%A9", true), "été");
  EXPECT_EQ(percentDecode("%c3%a9", true), "é");  // lower-case hex
  EXPECT_FALSE(percentDecode("%", true));
  EXPECT_FALSE(percentDecode("%4", true));
  EXPECT_FALSE(percentDecode("%G1", true));
  EXPECT_FALSE(percentDecode("abc%", true));
  EXPECT_FALSE(percentDecode("%E9t%E9", true));  // Latin-1, not UTF-8
  EXPECT_FALSE(percentDecode("%C3", true));      // cut short
}

TEST(WireForm, DecodesFieldsInOrder) {
  auto f = decodeForm("email=a%40b.fr&password=x+y&empty=&flag&&last=%E2%9C%93");
  ASSERT_TRUE(f.ok()) << f.error;
  ASSERT_EQ(f.fields.size(), 5u);
  EXPECT_EQ(f.fields[0], (std::pair<std::string, std::string>{"email", "a@b.fr"}));
  EXPECT_EQ(f.fields[1].second, "x y");
  EXPECT_EQ(f.fields[2].second, "");
  EXPECT_EQ(f.fields[3], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(f.fields[4].second, "✓");
  EXPECT_TRUE(decodeForm("").ok());
  EXPECT_EQ(decodeForm("a=1&a=2").fields.size(), 2u);
}

TEST(WireForm, RefusesBadEscapesInvalidUtf8AndTooManyFields) {
  EXPECT_FALSE(decodeForm("a=%zz").ok());
  EXPECT_FALSE(decodeForm("a%=1").ok());
  EXPECT_FALSE(decodeForm("a=%FF").ok());
  EXPECT_FALSE(decodeForm("ok=1&bad=%C3%28").ok());
  EXPECT_TRUE(decodeForm("a=1&b=2&c=3", 3).ok());
  EXPECT_FALSE(decodeForm("a=1&b=2&c=3&d=4", 3).ok());
  EXPECT_TRUE(decodeForm("a=" + std::string(10, 'x'), 10, 10).ok());
  EXPECT_FALSE(decodeForm("a=" + std::string(11, 'x'), 10, 10).ok());
  EXPECT_TRUE(decodeForm("a=%41%41", 10, 2).ok());  // the decoded size counts
}

TEST(WirePath, DecodesAndRefusesMalformedPaths) {
  EXPECT_EQ(decodePath("/lieux/12/agenda"), "/lieux/12/agenda");
  EXPECT_EQ(decodePath("/a%20b+c"), "/a b+c");  // '+' is a plus in a path
  EXPECT_EQ(decodePath("/static/..%2Fx"), "/static/../x");
  EXPECT_FALSE(decodePath("/%"));
  EXPECT_FALSE(decodePath("/%FF"));
  EXPECT_FALSE(decodePath("/a%00b"));
  EXPECT_FALSE(decodePath("relative"));
  EXPECT_FALSE(decodePath(""));
}

TEST(WireCookies, ParsesTheCookieHeader) {
  auto c = parseCookies("sas_session=abc; sas_csrf=\"def\";flag; =x;  spaced = v ;sas_session=2");
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c["sas_session"], "abc");  // the first wins
  EXPECT_EQ(c["sas_csrf"], "def");
  EXPECT_EQ(c["spaced"], "v");
  EXPECT_TRUE(parseCookies("").empty());
  EXPECT_TRUE(parseCookies(";;;").empty());
}

TEST(WireContentLength, DigitsOnly) {
  EXPECT_EQ(parseContentLength("0"), 0u);
  EXPECT_EQ(parseContentLength("65536"), 65536u);
  EXPECT_EQ(parseContentLength(" 12 "), 12u);
  EXPECT_EQ(parseContentLength("9223372036854775807"), 9223372036854775807ull);
  EXPECT_FALSE(parseContentLength("9223372036854775808"));  // past 63 bits
  EXPECT_FALSE(parseContentLength("99999999999999999999"));
  EXPECT_FALSE(parseContentLength("abc"));
  EXPECT_FALSE(parseContentLength(""));
  EXPECT_FALSE(parseContentLength("-1"));
  EXPECT_FALSE(parseContentLength("+1"));
  EXPECT_FALSE(parseContentLength("1 2"));
  EXPECT_FALSE(parseContentLength("0x10"));
}

TEST(WireMultipart, BoundaryFromTheContentType) {
  EXPECT_EQ(multipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipartBoundary("multipart/form-data"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(multipartBoundary("application/x-www-form-urlencoded"));
  EXPECT_FALSE(multipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

std::string body(const std::string& boundary) {
  return "preamble\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"nom\"\r\n\r\nMartin\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nligne 1\r\nligne 2\r\n--" +
         boundary +
         "\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"capture.pdf\"\r\n"
         "Content-Type: application/pdf\r\n\r\n%PDF-1.4 \r\n--not-the-boundary\r\n\r\n--" +
         boundary +
         "\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n\r\n--" +
         boundary + "--\r\nepilogue";
}

TEST(WireMultipart, ParsesFieldsAndFilesWhateverTheChunks) {
  const std::string boundary = "----sasBoundary7MA4YWxkTrZu0gW";
  const std::string whole = body(boundary);
  // Every chunk size from 1 byte to the whole body gives the same result.
  for (std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                           std::size_t{31}, std::size_t{32}, std::size_t{33}, whole.size()}) {
    std::vector<ParsedFile> files;
    FileSink sink;
    sink.open = [&](const std::string& f, const std::string& n) {
      files.push_back({f, n, {}, 0});
      return true;
    };
    sink.write = [&](std::string_view b) { files.back().content.append(b); };
    sink.close = [&](std::uint64_t total) { files.back().size = total; };
    MultipartParser parser(boundary, {}, sink);
    for (std::size_t i = 0; i < whole.size(); i += size)
      ASSERT_TRUE(parser.feed(std::string_view(whole).substr(i, size))) << parser.error();
    ASSERT_TRUE(parser.finish()) << parser.error();
    ASSERT_EQ(parser.fields().size(), 2u) << size;
    EXPECT_EQ(parser.fields()[0].second, "Martin");
    EXPECT_EQ(parser.fields()[1].second, "ligne 1\r\nligne 2");
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].fileName, "capture.pdf");
    EXPECT_EQ(files[0].content, "%PDF-1.4 \r\n--not-the-boundary\r\n");
    EXPECT_EQ(files[0].size, files[0].content.size());
    EXPECT_EQ(files[1].fileName, "");
    EXPECT_EQ(files[1].size, 0u);
  }
}

TEST(WireMultipart, CapsEachFileButCountsItsBytes) {
  MultipartLimits limits;
  limits.maxFileBytes = 4;
  auto r = parseMultipart(
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n0123456789"
      "\r\n--b--",
      "b", limits);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].content, "0123");
  EXPECT_EQ(r.files[0].size, 10u);
  limits.maxFileBytes = 10;  // exactly the size: all kept
  r = parseMultipart(
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n0123456789"
      "\r\n--b--",
      "b", limits);
  EXPECT_EQ(r.files[0].content, "0123456789");
}

TEST(WireMultipart, RefusesWhatIsMalformedOrTooLarge) {
  const std::string part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n";
  EXPECT_FALSE(parseMultipart(part + "x\r\n--b", "b").ok());       // no closing boundary
  EXPECT_FALSE(parseMultipart(part + "x", "b").ok());              // truncated
  EXPECT_FALSE(parseMultipart("", "b").ok());                      // nothing
  EXPECT_FALSE(parseMultipart(part + "\xFF\r\n--b--", "b").ok());  // invalid UTF-8 field
  EXPECT_FALSE(parseMultipart("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b").ok());
  EXPECT_FALSE(parseMultipart("--b\r\nno colon here\r\n\r\nx\r\n--b--", "b").ok());
  EXPECT_FALSE(parseMultipart("--bXX\r\n", "b").ok() &&
               parseMultipart("--bXX\r\n", "b").fields.size());
  MultipartLimits limits;
  limits.maxFieldBytes = 3;
  EXPECT_TRUE(parseMultipart(part + "xyz\r\n--b--", "b", limits).ok());
  EXPECT_FALSE(parseMultipart(part + "xyzw\r\n--b--", "b", limits).ok());
  limits = {};
  limits.maxFields = 1;
  EXPECT_TRUE(parseMultipart(part + "x\r\n--b--", "b", limits).ok());
  EXPECT_FALSE(parseMultipart(part + "x\r\n" + part + "y\r\n--b--", "b", limits).ok());
  limits = {};
  limits.maxPartHeaderBytes = 16;
  EXPECT_FALSE(parseMultipart(part + "x\r\n--b--", "b", limits).ok());
}

}  // namespace
}  // namespace sas::http::wire
