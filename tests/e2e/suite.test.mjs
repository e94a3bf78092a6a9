// The guide's journeys in a real browser (Debian's Chromium, headless) against the real server.
// Every file of journeys/ is one journey (see tests/e2e/README.md); each runs in the modes it
// lists (by default with the mouse, then with the keyboard alone), each run on a server and
// database of its own. Every page a run lands on is checked with axe-core at once; the HTML
// of all of them goes through the Nu Html Checker in one call at the end.
//
//   scripts/e2e        (node --test; SAS_E2E_BUILD_DIR picks the build folder, build/ by default)
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launchBrowser, newContext } from './support/browser.mjs';
import {
  AXE_TAGS, cleanOutput, outDir, PageChecks, validateSavedPages,
} from './support/checks.mjs';
import { MODES, Person } from './support/person.mjs';
import { startPscProvider } from './support/psc.mjs';
import { startPublisher } from './support/publisher.mjs';
import { removeDemoDatabase, startServer } from './support/server.mjs';
import { startTileServer } from './support/tiles.mjs';

const journeyDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'journeys');
const journeyFiles = (await readdir(journeyDir)).filter((f) => f.endsWith('.mjs')).sort();
const journeys = await Promise.all(
  journeyFiles.map(async (file) => ({
    file,
    ...(await import(pathToFileURL(path.join(journeyDir, file)))).default,
  })),
);

const JOURNEY_TIMEOUT_MS = 120_000;

let browser;

before(async () => {
  await cleanOutput();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await removeDemoDatabase();
});

for (const journey of journeys) {
  describe(journey.title, () => {
    for (const modeKey of journey.modes ?? ['souris', 'clavier']) {
      const mode = MODES[modeKey];
      assert.ok(mode, `${journey.file}: unknown mode ${modeKey}`);
      test(mode.name, { timeout: JOURNEY_TIMEOUT_MS }, (t) => runJourney(t, journey, mode));
    }
  });
}

async function runJourney(t, journey, mode) {
  // pscProvider: true starts the test Pro Santé Connect and points this run's server at it.
  const psc = journey.pscProvider ? await startPscProvider() : undefined;
  // tileServer: true starts a stand-in tile server for the search map (support/tiles.mjs).
  const tiles = journey.tileServer ? await startTileServer() : undefined;
  let server;
  let publisher;
  try {
    // publisher: true starts an interfaced booking software's FHIR publisher (support/publisher.mjs).
    publisher = journey.publisher ? await startPublisher() : undefined;
    server = await startServer({
      env: { ...journey.serverEnv, ...psc?.env },
      config: { ...journey.serverConfig, ...psc?.config, ...tiles?.config },
    });
  } catch (error) {
    await psc?.stop();
    await tiles?.stop();
    await publisher?.stop();
    throw error;
  }
  const context = await newContext(browser, {
    baseURL: server.url, javaScript: mode.javaScript, viewport: mode.viewport,
  });
  const page = await context.newPage();
  const checks = new PageChecks(`${journey.file}, ${mode.name}`, mode);
  checks.watch(page);
  const person = new Person(page, mode, checks);
  // Another person, in a browser of their own (cookies apart), in the same mode and checked
  // the same way: a journey where several people act in turn, or on another server (baseURL).
  const otherContexts = [];
  const newPerson = async (baseURL = server.url) => {
    const other = await newContext(browser, {
      baseURL, javaScript: mode.javaScript, viewport: mode.viewport,
    });
    otherContexts.push(other);
    const otherPage = await other.newPage();
    checks.watch(otherPage);
    return new Person(otherPage, mode, checks);
  };
  try {
    await journey.run(person, { server, psc, tiles, publisher, newPerson });
  } catch (error) {
    const shot = path.join(outDir, 'failures', `${path.basename(journey.file, '.mjs')}-${mode.name}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    error.message += `\n    (page ${page.url()}, picture ${path.relative(process.cwd(), shot)})`;
    if (checks.problems.length) error.message += `\n    also found:\n${checks.problems.join('\n')}`;
    error.message += `\n    server output (end):\n${server.output().split('\n').slice(-15).join('\n')}`;
    if (psc) error.message += `\n    test provider output (end):\n${psc.output().split('\n').slice(-10).join('\n')}`;
    throw error;
  } finally {
    for (const other of otherContexts) await other.close();
    await context.close();
    await server.stop();
    await publisher?.stop();
    await psc?.stop();
    await tiles?.stop();
  }
  assert.ok(checks.pagesChecked > 0, 'the journey checked no page');
  t.diagnostic(`${checks.pagesChecked} pages checked with axe-core (${AXE_TAGS.join(', ')})`);
  if (checks.problems.length)
    assert.fail(`${checks.problems.length} problem(s) on the pages:\n${checks.problems.join('\n')}`);
}

test('Nu Html Checker : aucune erreur sur les pages visitées', async (t) => {
  const { pages, errors } = await validateSavedPages();
  assert.ok(pages > 0, 'no page was saved');
  t.diagnostic(`${pages} pages checked by the Nu Html Checker`);
  if (errors.length) assert.fail(`${errors.length} error(s) in ${pages} pages:\n${errors.join('\n')}`);
});
