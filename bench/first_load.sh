#!/usr/bin/env bash
# Bytes of a first load of the agenda page (empty browser cache): the page, then each
# stylesheet, script and icon it links, as the browser asks for them (Accept-Encoding: br,
# gzip) and as they were before precompression (identity). Fonts are the same woff2 files
# either way and are left out. Needs scripts/build (static files and their .gz/.br forms).
# Usage: bench/first_load.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export SAS_DATABASE_URL="sqlite:$work/sas.sqlite" SAS_PORT=$port SAS_MAIL_DIR="$work/mail"
"$build/sas" demo-data --config config/sas.properties >/dev/null
"$build/sas" serve --config config/sas.properties >"$work/sas.log" 2>&1 &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
login = opener.open(base + "/connexion").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
opener.open(base + "/connexion", urllib.parse.urlencode({
    "email": "gestionnaire.structure@sas.test", "password": "Demo-SAS-2026!", "csrf": csrf}).encode())
# A demo account accepts the CGU at its first login, as a person does.
cgu = re.search(r'name="csrf" value="([^"]+)"', opener.open(base + "/cgu/accepter").read().decode())
if cgu:
    opener.open(base + "/cgu/accepter", urllib.parse.urlencode({"cgu": "1", "csrf": cgu.group(1)}).encode())
page = opener.open(base + "/lieux/1/agenda").read()
# The agenda itself, not a page a redirect led to (the CGU's, the login's).
if b"agenda-occ__time" not in page:
    sys.exit("the agenda page did not render")
assets = sorted(set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)))
def size(path, encoding):
    request = urllib.request.Request(base + path.decode(), headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as r:
        return len(r.read()), r.headers.get("Content-Encoding") or "identity"
before = after = len(page)
print(f"{'file':60} {'identity':>10} {'sent':>10}")
print(f"{'/lieux/1/agenda (HTML)':60} {len(page):>10} {len(page):>10}")
for a in assets:
    plain, _ = size(a, "identity")
    sent, enc = size(a, "br, gzip")
    before += plain
    after += sent
    print(f"{a.decode():60} {plain:>10} {sent:>10} {enc}")
print(f"first load: {before} bytes before, {after} bytes now ({100 * after / before:.0f} %)")
PY
