#pragma once
// « Formulaire d'assistance » as a browser sends it: the fields a visitor fills in, and the
// form posted as multipart/form-data with its files (from any loopback address, so that a
// test can play several visitors).
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_platform.hpp"

namespace sas::test {

struct FilePart {
  std::string fileName;
  std::string content;
  std::string type = "application/octet-stream";
};

/// A file of tests/support/files.
FilePart sampleFile(const std::string& name);
std::string readBytes(const std::filesystem::path& p);
/// The value of the hidden or text input `name` in a page.
std::string inputValue(const std::string& body, const std::string& name);
/// The form of `formPage` filled in by a visitor, with the form's own key and CSRF token.
Form filledAssistanceForm(const std::string& formPage, const std::string& email);
/// POST multipart/form-data with the browser's cookies, from `sourceAddress` (127.0.0.x).
Page postMultipart(Browser& b, int port, const std::string& path, const Form& fields,
                   const std::vector<FilePart>& files,
                   const std::string& sourceAddress = "127.0.0.1");
/// Base64 on one line, as an email's attachment part carries a file (to find it in a mail).
std::string mailBase64(const std::string& bytes);
/// The reference in the redirect after a request was taken ("" if none).
std::string referenceOf(const Page& p);

}  // namespace sas::test
