#include "domain/reference.hpp"

namespace sas::domain {

std::string readableCode(std::string_view randomBytes) {
  std::string code;
  code.reserve(randomBytes.size());
  for (const char byte : randomBytes)
    code.push_back(kReadableAlphabet[static_cast<unsigned char>(byte) % kReadableAlphabet.size()]);
  return code;
}

}  // namespace sas::domain
