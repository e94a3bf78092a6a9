// Starts the real `sas` server for one journey run: a folder of its own (SQLite file, emails
// written as .eml files), a free loopback port, and the demo data. `sas migrate` and
// `sas demo-data` run once per suite; each run gets a copy of that database.
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The build folder the suite tests: SAS_E2E_BUILD_DIR, else build/ of the repository. */
export const buildDir = path.resolve(repoRoot, process.env.SAS_E2E_BUILD_DIR || 'build');

const sas = path.join(buildDir, 'sas');
const START_TIMEOUT_MS = 15_000;

function serverEnv(dir, port, extra = {}) {
  const url = `http://127.0.0.1:${port}`;
  return {
    ...process.env,
    SAS_DATABASE_URL: `sqlite:${path.join(dir, 'sas.sqlite')}`,
    SAS_ROOT: repoRoot,
    SAS_HOST: '127.0.0.1',
    SAS_PORT: String(port),
    SAS_BASE_URL: url, // links in emails lead back to this server
    SAS_MAIL_DIR: path.join(dir, 'mailbox'),
    ...extra,
  };
}

let demoDatabase; // a promise of the folder holding the migrated database with demo data

function prepareDemoDatabase() {
  demoDatabase ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sas-e2e-demo-'));
    const env = serverEnv(dir, 0);
    await run(sas, ['migrate'], { env, cwd: dir });
    await run(sas, ['demo-data'], { env, cwd: dir });
    return dir;
  })();
  return demoDatabase;
}

/** Removes the demo database shared by the runs (at the end of the suite). */
export async function removeDemoDatabase() {
  if (demoDatabase) await rm(await demoDatabase, { recursive: true, force: true });
  demoDatabase = undefined;
}

/** A port free on the loopback interface now (the system's choice). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `sas serve` on a copy of the demo database.
 * @param {{env?: Record<string, string>, config?: Record<string, string>}} options more SAS_*
 *   variables for this server, and keys of config/sas.properties (in a file of its own, given
 *   with --config) for those that have no variable (psc.issuer, psc.client_id…)
 * @returns {Promise<{url: string, dir: string, mailDir: string, output: () => string,
 *   restart: (options?: {config?: Record<string, string>}) => Promise<void>,
 *   stop: () => Promise<void>}>}
 */
export async function startServer({ env: extra, config } = {}) {
  const demo = await prepareDemoDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'sas-e2e-'));
  for (const file of await readdir(demo)) // sas.sqlite, and its -wal/-shm if SQLite left them
    if (file.startsWith('sas.sqlite')) await copyFile(path.join(demo, file), path.join(dir, file));
  // Another program may take the free port between the probe and the start: try again then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await spawnServer(serverEnv(dir, port, extra), dir, await configArgs(dir, config));
      return serverHandle(child, { dir, port, extra, config });
    } catch (error) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

/** `serve`, and `--config file` with these keys of config/sas.properties when there are any. */
async function configArgs(dir, config) {
  if (!config || Object.keys(config).length === 0) return ['serve'];
  const file = path.join(dir, 'sas.properties');
  await writeFile(file, Object.entries(config).map(([k, v]) => `${k} = ${v}\n`).join(''));
  return ['serve', '--config', file];
}

function serverHandle(first, { dir, port, extra, config }) {
  let child = first;
  return {
    url: child.env.SAS_BASE_URL,
    /** The server's folder: sas.sqlite, mailbox/ (the emails it sent, as .eml files). */
    dir,
    mailDir: child.env.SAS_MAIL_DIR,
    /**
     * Runs another `sas` command (`user add`…) on the same database while the server runs,
     * with `input` on its standard input.
     */
    command: (args, input = '') => runCommand(child.env, dir, args, input),
    /** What the server printed (for a failing run's message). */
    output: () => child.output(),
    /**
     * Stops the server and starts it again on the same database, folder and port (the
     * browser's address stays right), with more configuration keys: `clock.offset_seconds`
     * lets a journey come back later than now (tests only).
     * @param {{config?: Record<string, string>}} options
     */
    async restart({ config: more } = {}) {
      await child.stop();
      const merged = { ...config, ...more };
      child = await spawnServer(serverEnv(dir, port, extra), dir, await configArgs(dir, merged));
    },
    async stop() {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function runCommand(env, dir, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(sas, args, { env, cwd: dir }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sas ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

async function spawnServer(env, dir, args) {
  const child = spawn(sas, args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stopped = false;
  // Listening once it says so (« SAS : serveur démarré sur … (port N) »); exiting first is failing.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sas serve did not start in ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      if (/\(port \d+\)/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    exited.then((code) => {
      stopped = true;
      clearTimeout(timer);
      reject(new Error(`sas serve exited (${code}):\n${output}`));
    });
  });

  return {
    env,
    output: () => output,
    async stop() {
      if (!stopped) child.kill('SIGTERM');
      await exited;
    },
  };
}
