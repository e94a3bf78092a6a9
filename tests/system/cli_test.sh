#!/usr/bin/env bash
# The `sas` command line, run as users run it: help in French on standard output (status 0),
# every mistake told on standard error with the usage (status 2), and the README's commands
# working on a throwaway SQLite file.
# Usage: tests/system/cli_test.sh BUILD_DIR (ctest runs it as "cli").
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sas=$(cd "${1:-$root/build}" && pwd)/sas
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root" || exit 1
export SAS_DATABASE_URL="sqlite:$work/sas.sqlite"

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run EXPECTED_STATUS ARGS…: runs sas, keeping its output in $work/out and $work/err.
run() {
  local expected=$1
  shift
  "$sas" "$@" >"$work/out" 2>"$work/err" </dev/null
  local status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "sas $*: status $status instead of $expected ($(head -c 300 "$work/err"))"
    return 1
  fi
}
# has STREAM TEXT WHAT: STREAM (out or err) contains TEXT.
has() {
  grep -qF -- "$2" "$work/$1" || fail "$3: « $2 » missing from standard ${1/err/error}"
}
empty() { [ ! -s "$work/$1" ] || fail "$2: standard ${1/err/error} not empty"; }

for help in --help -h help; do
  if run 0 "$help"; then
    has out "Usage : sas <commande>" "sas $help"
    has out "import-structures FICHIER" "sas $help"
    has out "Aide d'une commande : sas <commande> --help" "sas $help"
    empty err "sas $help"
  fi
done

for command in serve migrate demo-data national-data backup import-structures import-directory \
  user token geocode; do
  if run 0 "$command" --help; then
    has out "Usage :" "sas $command --help"
    has out "  sas $command" "sas $command --help"
    has out "--config FICHIER" "sas $command --help"
    empty err "sas $command --help"
  fi
done
# Help wins over a mistake beside it, and nothing is opened.
run 0 user add --frobnicate --help && has out "Rôles :" "sas user add --frobnicate --help"
[ ! -e "$work/sas.sqlite" ] || fail "--help opened the database"

# Mistakes: a message naming it, then the usage, on standard error; status 2.
if run 2; then has err "commande manquante" "sas"; has err "Usage : sas" "sas"; empty out "sas"; fi
if run 2 frobnicate; then
  has err "commande inconnue : frobnicate" "sas frobnicate"
  has err "Usage : sas <commande>" "sas frobnicate"
fi
if run 2 --config; then has err "commande inconnue : --config" "sas --config"; fi
if run 2 migrate --frobnicate 1; then
  has err "option inconnue pour « migrate » : --frobnicate" "sas migrate --frobnicate"
  has err "  sas migrate" "sas migrate --frobnicate"
fi
if run 2 migrate --config; then has err "l'option --config attend une valeur" "sas migrate --config"; fi
if run 2 migrate extra; then has err "argument inattendu : extra" "sas migrate extra"; fi
if run 2 backup; then has err "l'option --vers est obligatoire" "sas backup"; fi
if run 2 import-structures; then has err "FICHIER manquant" "sas import-structures"; fi
if run 2 import-structures a.csv b.csv; then has err "argument inattendu : b.csv" "two files"; fi
if run 2 national-data --places dix; then
  has err "l'option --places attend un nombre entier positif, pas « dix »" "--places dix"
fi
if run 2 national-data --places -3; then has err "nombre entier positif" "--places -3"; fi
if run 2 national-data; then has err "l'option --places est obligatoire" "national-data"; fi
# A second set is added only when asked: a benchmark would otherwise count places twice.
national="sqlite:$work/national.sqlite"
if SAS_DATABASE_URL=$national run 0 national-data --places 3 --seed 1; then
  has out "Jeu national : 3 lieux" "national-data on an empty base"
fi
if SAS_DATABASE_URL=$national run 2 national-data --places 3 --seed 1; then
  has err "La base contient déjà 3 lieu(x)" "national-data again"
  has err "--ajouter" "national-data again"
  empty out "national-data again"
fi
if SAS_DATABASE_URL=$national run 0 national-data --places 2 --seed 1 --ajouter; then
  has out "Jeu national : 2 lieux" "national-data --ajouter"
fi
if SAS_DATABASE_URL=$national run 2 national-data --places 1; then
  has err "contient déjà 5 lieu(x)" "national-data after --ajouter"
fi
if run 2 token; then has err "action attendue" "sas token"; fi
if run 2 geocode; then has err "ADRESSE manquante" "sas geocode"; fi
if run 2 geocode --again=oui; then has err "l'option --again ne prend pas de valeur" "--again=oui"; fi
if run 2 geocode --again Paris; then has err "argument inattendu : Paris" "geocode --again Paris"; fi
if run 2 token create; then has err "l'option --name est obligatoire" "sas token create"; fi
if run 2 user; then has err "sous-commande attendue : user add" "sas user"; fi
if run 2 user add --email a@b.fr --prenom A --nom B --role pape; then
  has err "rôle inconnu : pape" "user add --role pape"
fi
if run 2 user add --email a@b.fr --prenom A --nom B --role regulateur --structures 1,x; then
  has err "--structures attend des identifiants" "user add --structures 1,x"
fi
[ ! -e "$work/sas.sqlite" ] || fail "a refused command line opened the database"

# The README's commands still work.
if run 0 migrate; then has out "Base de données à jour." "sas migrate"; fi
if run 0 migrate --config config/sas.properties; then has out "à jour" "sas migrate --config"; fi
# A base URL on port 0 (the browser tests migrate with one, before their port is chosen).
if SAS_BASE_URL=http://127.0.0.1:0 run 0 migrate; then has out "à jour" "sas migrate, port 0"; fi
if run 0 token create --name=essai; then has out "Jeton « essai »" "sas token create"; fi
if run 0 token list; then has out "essai" "sas token list"; fi
if run 0 token revoke --name essai; then has out "Jeton révoqué : essai" "sas token revoke"; fi
if run 2 token revoke --name essai; then has err "Aucun jeton en vigueur" "second revoke"; fi
if run 0 backup --vers "$work/copie.sqlite"; then
  [ -s "$work/copie.sqlite" ] || fail "sas backup wrote no copy"
fi
if run 1 import-structures "$work/absent.csv"; then
  has err "sas import-structures : fichier illisible" "import of a missing file"
fi
printf 'Un-Mot-De-Passe-Solide-2026!\n' >"$work/password"
if "$sas" user add --email cli@sas.test --prenom Claude --nom Ligne --role regulateur \
  <"$work/password" >"$work/out" 2>"$work/err"; then
  has out "Compte créé : cli@sas.test" "sas user add"
else
  fail "sas user add: $(cat "$work/err")"
fi
# Scopes (docs/api.md#scopes): orientation needs a regulator's account, which cli@ is.
if run 2 token create --name orient --scope orientation; then
  has err "indiquez son adresse avec --user" "token create --scope orientation without --user"
fi
if run 2 token create --name orient --scope ecriture --user cli@sas.test; then
  has err "Portée inconnue" "token create --scope ecriture"
fi
if run 0 token create orient --scope orientation --user cli@sas.test; then
  has out "Jeton « orient »" "token create NOM --scope orientation --user"
fi
if run 0 token list; then has out "orient [recherche orientation] compte" "token list scopes"; fi

# The geocoder as a regulator's search places addresses (docs/rules.md#search).
if run 0 geocode 81 rue Michel-Ange 75016 Paris; then
  has out "81 rue Michel-Ange 75016 Paris" "sas geocode an address"
  has out "48.86370 2.27690 (position approximative)" "sas geocode: the 16e's centre"
fi
if run 0 geocode "Paris 16e"; then has out "Paris 16e Arrondissement (75)" "sas geocode Paris 16e"; fi
if run 0 geocode Saint-Denis; then has out "Plusieurs lieux correspondent" "sas geocode Saint-Denis"; fi
if run 1 geocode Nulle-Part-sur-Rien; then has err "lieu introuvable" "sas geocode unknown"; fi
if run 0 demo-data && run 0 geocode --again; then
  # The demo professionals' practice places were placed by the geocoder: approximate, and
  # already where it puts them.
  has out "6 lieu(x) à la position approximative, 0 déplacé(s)" "sas geocode --again"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "sas: the command line answers as documented"
