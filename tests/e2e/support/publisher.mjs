// An interfaced booking software's publisher for the journeys that need one (issue 21,
// docs/rules.md#publishers): a second `sas serve` of ours in FHIR publisher mode (docs/fhir.md),
// on a copy of the demo database of its own, whose demo set has Dr Dupont's cabinet in Paris 18e
// (SIRET 12345678200010). Its TLS listener and the SAS's client certificate come from a test PKI
// that openssl makes for the run (as tests/support/fhir_client.cpp does for the C++ tests).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort, startServer } from './server.mjs';

const run = promisify(execFile);

// A CA, the listener's certificate for 127.0.0.1, a client certificate for the SAS
// (CN=lrm-paris, OU=SAMU 75) and the CA's CRL (empty), valid two days.
const PKI_SCRIPT = `set -e
key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $key -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=AC de test FHIR"
issue() {
  printf "$3\\n" > "$1.ext"
  openssl req $key -keyout "$1-key.pem" -out "$1.csr" -subj "$2"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial \\
    -out "$1.pem" -days 2 -extfile "$1.ext"
}
issue server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth"
issue client "/CN=lrm-paris/OU=SAMU 75" "extendedKeyUsage=clientAuth"
: > index.txt
echo 01 > crlnumber
printf '[ca]\\ndefault_ca = test\\n[test]\\ndatabase = index.txt\\ncrlnumber = crlnumber\\ndefault_md = sha256\\ndefault_crl_days = 2\\ncertificate = ca.pem\\nprivate_key = ca-key.pem\\n' > ca.cnf
openssl ca -config ca.cnf -gencrl -out crl.pem
`;

/** The test PKI in a temporary folder: `file(name)` is a PEM's absolute path. */
async function makePki() {
  const dir = await mkdtemp(path.join(tmpdir(), 'sas-e2e-pki-'));
  await writeFile(path.join(dir, 'make.sh'), PKI_SCRIPT);
  try {
    await run('sh', ['make.sh'], { cwd: dir });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make the test PKI: ${error.stderr ?? error}`);
  }
  return {
    file: (name) => path.join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts the publisher. `server` is its handle (support/server.mjs; `url` its plain pages);
 * `fhirUrl` the base URL the SAS registers; `certificate`, `key`, `ca` the PEM files the SAS
 * reads to reach it.
 */
export async function startPublisher() {
  const pki = await makePki();
  try {
    const fhirPort = await freePort();
    const server = await startServer({
      config: {
        'fhir.listen': `127.0.0.1:${fhirPort}`,
        'fhir.certificate': pki.file('server.pem'),
        'fhir.key': pki.file('server-key.pem'),
        'fhir.client_ca': pki.file('ca.pem'),
        'fhir.client_crl': pki.file('crl.pem'),
        'fhir.allowed_clients': 'lrm-paris/SAMU 75',
      },
    });
    return {
      server,
      fhirUrl: `https://127.0.0.1:${fhirPort}/fhir`,
      certificate: pki.file('client.pem'),
      key: pki.file('client-key.pem'),
      ca: pki.file('ca.pem'),
      async stop() {
        await server.stop();
        await pki.remove();
      },
    };
  } catch (error) {
    await pki.remove();
    throw error;
  }
}

/**
 * A structure manager's account for the structure of this SIRET, on this server's database
 * (`sas user add`, the structure's id read with sqlite3): the demo data names no manager for
 * the publisher demo set's structures.
 */
export async function addStructureManager(server, { email, first, last, password, siret }) {
  const database = path.join(server.dir, 'sas.sqlite');
  const { stdout } = await run('sqlite3', ['-readonly', database,
    `SELECT id FROM structures WHERE siret = '${siret}'`]);
  const id = stdout.trim();
  if (!/^\d+$/.test(id)) throw new Error(`no single structure with SIRET ${siret}: « ${stdout} »`);
  await server.command(['user', 'add', '--email', email, '--prenom', first, '--nom', last,
    '--role', 'gestionnaire_structure', '--structures', id], `${password}\n`);
}
