// The test OpenID provider standing in for Pro Santé Connect (tests/oidc/provider.mjs, the same
// one the C++ integration tests start from tests/support/oidc_provider.cpp), started for one
// journey run on a free loopback port. The platform is pointed at it with psc.issuer and
// psc.client_id (keys of its configuration file) and SAS_PSC_CLIENT_SECRET; its redirect URI
// is the default, server.base_url + /psc/retour, which the provider accepts on any loopback port.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { freePort, repoRoot } from './server.mjs';

const START_TIMEOUT_MS = 15_000;
const CLIENT_ID = 'sas-local';
const CLIENT_SECRET = 'secret-local';

/**
 * Starts the provider; its `config` and `env` go to startServer().
 * @returns {Promise<{issuer: string, config: Record<string, string>, env: Record<string, string>,
 *   output: () => string, stop: () => Promise<void>}>}
 */
export async function startPscProvider() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnProvider(await freePort());
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function spawnProvider(port) {
  const script = path.join(repoRoot, 'tests', 'oidc', 'provider.mjs');
  const child = spawn(process.execPath, [script, String(port)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopped = false;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Ready once it says so (« oidc-provider (Pro Santé Connect de test) sur http://… »).
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the test OpenID provider did not start in ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      if (output.includes(' sur http://')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    exited.then((code) => {
      stopped = true;
      clearTimeout(timer);
      reject(new Error(`the test OpenID provider exited (${code}):\n${output}`));
    });
  });
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    config: { 'psc.issuer': issuer, 'psc.client_id': CLIENT_ID },
    env: { SAS_PSC_CLIENT_SECRET: CLIENT_SECRET },
    output: () => output,
    async stop() {
      if (!stopped) child.kill('SIGTERM');
      await exited;
    },
  };
}
