#pragma once
// Checks an uploaded file on its content: libmagic names its type, which must agree with the
// extension; a .potx (a ZIP) is opened with libzip: no zip bomb, and a [Content_Types].xml
// that declares a presentation template.
#include <cstdint>
#include <filesystem>
#include <mutex>

#include "app/ports/support.hpp"

namespace sas::help {

struct ZipLimits {
  std::uint64_t maxEntries = 2000;
  std::uint64_t maxExpandedBytes = 200ull * 1024 * 1024;  // all entries, uncompressed
  std::uint64_t maxRatio = 100;                           // uncompressed / compressed
};

class MagicFileInspector final : public app::FileInspector {
 public:
  explicit MagicFileInspector(ZipLimits limits = {});
  ~MagicFileInspector() override;
  MagicFileInspector(const MagicFileInspector&) = delete;
  MagicFileInspector& operator=(const MagicFileInspector&) = delete;

  /// `extension`: pdf, jpeg, png, xls, ppt or potx (lower case).
  app::FileCheck check(const std::filesystem::path& file,
                       const std::string& extension) const override;
  /// The MIME type libmagic finds in the file ("" when it cannot tell).
  std::string mimeType(const std::filesystem::path& file) const;

 private:
  app::FileCheck checkPotx(const std::filesystem::path& file) const;
  ZipLimits limits_;
  void* magic_;  // magic_t; libmagic handles are not thread-safe
  mutable std::mutex mutex_;
};

}  // namespace sas::help
