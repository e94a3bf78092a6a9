#!/usr/bin/env bash
# scripts/check against planted mistakes. On a copy of the tree (a git repository of its own),
# each mistake is planted alone: the check must exit non-zero and name the planted file:line;
# the look-alikes that are not mistakes must add nothing to what the untouched copy reports.
# Usage: tests/system/check_test.sh (ctest runs it as "check").
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/tree
mkdir -p "$tree/scripts"
cp -r "$root/src" "$root/tests" "$root/bench" "$root/.clang-format" "$tree/"
cp "$root/scripts/check" "$tree/scripts/"
rm -rf "$tree/tests/e2e"
git -C "$tree" init -q
git -C "$tree" add -A
git -C "$tree" -c user.name=check -c user.email=check@sas.test commit -qm tree

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# What the untouched copy reports (nothing once every page has left http/server.hpp).
"$tree/scripts/check" --base HEAD >"$work/before" 2>/dev/null

# plant NAME FILE TEXT EXPECTED [SKIP]: appends TEXT to FILE; the check must fail and print
# FILE:LINE followed by EXPECTED, LINE being the planted text's first line plus SKIP.
plant() {
  local name=$1 file=$2 text=$3 expected=$4 skip=${5:-0}
  local line=$(($(wc -l <"$tree/$file") + 1 + skip))
  printf '%s\n' "$text" >>"$tree/$file"
  "$tree/scripts/check" --base HEAD >"$work/after" 2>"$work/stderr"
  local status=$?
  local added
  added=$(grep -vxF -f "$work/before" "$work/after" || true)
  if [ "$status" -eq 0 ]; then
    fail "$name: the check passed"
  elif ! grep -q "^$file:$line: $expected" <<<"$added"; then
    fail "$name: expected « $file:$line: $expected… », got: ${added:-nothing new}"
  else
    echo "ok: $name ($(head -1 <<<"$added"))"
  fi
  git -C "$tree" checkout -q -- .
}

# harmless NAME FILE TEXT: appending TEXT adds nothing to the report.
harmless() {
  local name=$1 file=$2 text=$3
  printf '%s\n' "$text" >>"$tree/$file"
  "$tree/scripts/check" --base HEAD >"$work/after" 2>/dev/null
  local added
  added=$(grep -vxF -f "$work/before" "$work/after" | grep -v ': format:' || true)
  if [ -n "$added" ]; then fail "$name: reported $added"; else echo "ok: $name (nothing)"; fi
  git -C "$tree" checkout -q -- .
}

plant "domain includes storage" src/domain/calendar.cpp '#include "storage/database.hpp"' \
  'layers: domain/ may include domain only, not "storage/database.hpp"'
plant "app includes http" src/app/model.cpp '#include "http/request.hpp"' 'layers: app/'
plant "http includes storage" src/http/router.cpp '#include "storage/sql_store.hpp"' \
  'layers: http/'
plant "http includes an adapter" src/http/views.cpp '#include "mail/mail.hpp"' 'layers: http/'
plant "app climbs out with ../" src/app/model.cpp '#include "../storage/rows.hpp"' \
  'layers: include "../storage/rows.hpp" by its folder'
plant "main.cpp reaches past the commands" src/main.cpp '#include "storage/database.hpp"' \
  'layers: main/'
plant "a handler includes the server" src/http/api/search_api.cpp '#include "http/server.hpp"' \
  'layers: a handler does not include "http/server.hpp"'
plant "SQL in app" src/app/model.cpp 'const char* const kSneaky = "SELECT id FROM users";' \
  'SQL: « SELECT id FROM'
plant "SQL split over two literals" src/http/views.cpp \
  "$(printf 'const char* const kSneaky = "DELETE "\n    "FROM sessions";')" 'SQL: « DELETE FROM'
plant "SQL in a raw string" src/domain/calendar.cpp \
  "$(printf 'const char* const kSneaky = R"sql(UPDATE places\n  SET name = 1)sql";')" \
  'SQL: « UPDATE places'
plant "POCO in domain" src/domain/calendar.cpp '#include <Poco/URI.h>' 'libraries: POCO'
plant "POCO in a page" src/http/pages/search_pages.cpp '#include <Poco/Net/HTMLForm.h>' \
  'libraries: POCO'
plant "Beast outside the server" src/http/router.cpp '#include <boost/beast/http.hpp>' \
  'libraries: Boost.Beast/Asio'
plant "OpenSSL in a page" src/http/pages/search_pages.cpp '#include <openssl/ssl.h>' \
  'libraries: OpenSSL'
plant "a FHIR handler includes the server" src/http/fhir/routes.cpp '#include "http/server.hpp"' \
  'layers: a handler does not include "http/server.hpp"'
plant "SOCI outside storage" src/app/model.cpp '#include <soci/soci.h>' 'libraries: SOCI'
plant "empty catch" src/app/model.cpp \
  "$(printf 'void sneaky() {\n  try {\n    throw 1;\n  } catch (...) {\n  }\n}')" 'catch: empty block' 3
plant "empty catch on one line" tests/unit/wire_test.cpp \
  'void sneaky() { try { throw 1; } catch (const std::exception& e) {} }' 'catch: empty block'
plant "a badly formatted change" src/app/model.cpp 'int   sneaky ( ) {return 1 ;}' 'format:'

harmless "a catch that says why" src/app/model.cpp \
  "$(printf 'void fine() {\n  try {\n    throw 1;\n  } catch (...) {  // a test of the check\n  }\n}')"
harmless "SQL in storage" src/storage/rows.cpp \
  'const char* const kFine [[maybe_unused]] = "SELECT id FROM users";'
harmless "SQL words in a comment" src/app/model.cpp '// SELECT id FROM users is for the stores'
harmless "French words near SQL" src/app/model.cpp \
  'const char* const kFine [[maybe_unused]] = "Sélectionnez un lieu ; update from the list";'
harmless "digit separators" src/app/model.cpp 'const long kFine [[maybe_unused]] = 1'"'"'000'"'"'000;'
harmless "OpenSSL in the server" src/http/server.cpp '#include <openssl/x509.h>'
harmless "OpenSSL in the OIDC client" src/oidc/client.cpp '#include <openssl/evp.h>'
harmless "app includes domain" src/app/model.cpp '#include "domain/calendar.hpp"'

# --all formats every file: the planted line is found without git.
printf 'int   sneaky ( ) {return 1 ;}\n' >>"$tree/src/app/model.cpp"
rm -rf "$tree/.git"
"$tree/scripts/check" --all >"$work/after" 2>/dev/null
if grep -q '^src/app/model.cpp:[0-9]*: format:' "$work/after"; then
  echo "ok: --all formats every file"
else
  fail "--all did not find the badly formatted file"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "scripts/check: every planted mistake found"
