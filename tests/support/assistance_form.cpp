#include "support/assistance_form.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace sas::test {

std::string readBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

FilePart sampleFile(const std::string& name) {
  return {name, readBytes(std::filesystem::path(SAS_SOURCE_DIR) / "tests/support/files" / name)};
}

std::string inputValue(const std::string& body, const std::string& name) {
  const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(body, m, re) ? std::string(m[1]) : "";
}

Form filledAssistanceForm(const std::string& formPage, const std::string& email) {
  return {{"csrf", inputValue(formPage, "csrf")},
          {"cle", inputValue(formPage, "cle")},
          {"vous_etes", "gestionnaire_structure"},
          {"concerne", "disponibilites"},
          {"nom", "Martin"},
          {"prenom", "Camille"},
          {"telephone", "01 22 33 44 55"},
          {"email", email},
          {"territoire", ""},
          {"message", "Je ne vois pas mes disponibilités de mardi."}};
}

Page postMultipart(Browser& b, int port, const std::string& path, const Form& fields,
                   const std::vector<FilePart>& files, const std::string& sourceAddress) {
  const std::string boundary = "----sasBoundary7MA4YWxkTrZu0gW";
  std::string body;
  for (const auto& [k, v] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v +
            "\r\n";
  for (const auto& f : files)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"fichiers\"; filename=\"" +
            f.fileName + "\"\r\nContent-Type: " + f.type + "\r\n\r\n" + f.content + "\r\n";
  body += "--" + boundary + "--\r\n";
  // Bound to the source address first: every 127.0.0.x reaches the server on 127.0.0.1.
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
  socket.impl()->bind(Poco::Net::SocketAddress(sourceAddress, 0));
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  Poco::Net::HTTPClientSession session(socket);  // connected: it takes no host of its own
  Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::NameValueCollection jar;
  for (const auto& [k, v] : b.cookies()) jar.add(k, v);
  if (!b.cookies().empty()) request.setCookies(jar);
  request.setContentType("multipart/form-data; boundary=" + boundary);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Page page;
  page.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, page.body);
  for (const auto& [k, v] : response) page.headers[k] = v;
  page.location = response.get("Location", "");
  return page;
}

std::string referenceOf(const Page& p) {
  const std::string prefix = "/assistance/envoyee/";
  return p.location.rfind(prefix, 0) == 0 ? p.location.substr(prefix.size()) : "";
}

std::string mailBase64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << bytes;
  enc.close();
  return out.str();
}

}  // namespace sas::test
