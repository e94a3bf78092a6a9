// What the suite checks on every page a journey lands on: axe-core (WCAG 2.1 A and AA) at once,
// and the HTML as the server sent it, saved for the Nu Html Checker that runs once on all of
// them at the end of the suite. Errors of the page itself (a script error, a blocked resource,
// a CSP violation) count too.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const vnuJar = require.resolve('vnu-jar/build/dist/vnu.jar');

export const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');
const htmlDir = path.join(outDir, 'html');
const screenshotDir = path.join(outDir, 'screenshots');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Every page saved by any journey: { file, url, journey }. */
const savedPages = [];
let pageNumber = 0;

export async function cleanOutput() {
  for (const dir of [htmlDir, screenshotDir, path.join(outDir, 'failures')])
    await rm(dir, { recursive: true, force: true });
  await mkdir(htmlDir, { recursive: true });
  await mkdir(screenshotDir, { recursive: true });
}

/** The checks of one journey run: problems found on its pages, gathered for its test. */
export class PageChecks {
  constructor(label, { javaScript }) {
    this.label = label;
    this.javaScript = javaScript;
    this.problems = [];
    this.documents = []; // promises of the HTML of main-frame documents, as received
    this.pagesChecked = 0;
  }

  /** Starts listening to the page: documents it receives, errors it reports. */
  watch(page) {
    page.on('response', (response) => {
      const request = response.request();
      // A page as htmx fetches it (the agenda's links and forms, with JavaScript) is a whole
      // page too, of which htmx shows the <main>; so is a step fetched for the orientation's
      // modal, of which the modal shows a part.
      const headers = request.headers();
      const fetched = headers['hx-request'] === 'true' || headers['x-sas-modale'] === '1';
      if (!(request.isNavigationRequest() || fetched) || request.frame() !== page.mainFrame()) return;
      if (response.status() >= 300 && response.status() < 400) return; // redirects have no page
      this.documents.push(
        response.text().then((html) => ({ url: response.url(), status: response.status(), html })),
      );
    });
    page.on('pageerror', (error) => this.problems.push(`script error on ${page.url()}: ${error}`));
    page.on('console', (message) => {
      // Chromium logs every answer >= 400; those are checked just below, with their address.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        this.problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('requestfailed', (request) =>
      this.problems.push(`${request.url()} failed: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      // 422 is a form refused with its messages (a page of the journey); nothing else fails.
      const status = response.status();
      const request = response.request();
      const isPage = request.isNavigationRequest() || request.headers()['hx-request'] === 'true';
      if (status >= 400 && !(status === 422 && isPage))
        this.problems.push(`${response.url()} answered ${status}`);
    });
  }

  /** Called once the page has loaded: saves its HTML, runs axe on it. */
  async pageLoaded(page) {
    this.pagesChecked++;
    for (const doc of await Promise.all(this.documents.splice(0))) {
      const file = path.join(htmlDir, `${String(++pageNumber).padStart(3, '0')}.html`);
      await writeFile(file, doc.html);
      savedPages.push({ file, url: doc.url, journey: this.label });
    }
    // No page scrolls sideways, at any width (issue 19: a phone's 375 px included).
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth,
    }));
    if (widths.page > widths.window)
      this.problems.push(`${page.url()} scrolls sideways: ${widths.page} px wide in a ${widths.window} px window`);
    const result = await axe(page, this.javaScript);
    for (const v of result.violations) {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary.replace(/\n/g, '\n        ')}`)
        .join('\n');
      this.problems.push(`axe ${v.id} (${v.impact}) on ${page.url()}: ${v.help}\n${nodes}`);
    }
  }

  /** The window, or `height` pixels of the page from the top of `from` (full width). */
  async screenshot(page, name, { from, height } = {}) {
    const file = path.join(screenshotDir, `${name}.png`);
    if (!from) return page.screenshot({ path: file });
    const top = await from.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const width = page.viewportSize().width;
    return page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: top - 16, width, height } });
  }
}

async function axe(page, javaScript) {
  if (!javaScript) {
    // Without JavaScript the page's timers never fire (CDP evaluation still runs, and so do
    // promise callbacks), and axe waits on setTimeout between its steps: those steps are then
    // queued as promise callbacks. Same results as with timers (checked on the login page).
    await page.evaluate(() => {
      let last = 0;
      const cleared = new Set();
      window.setTimeout = (callback, _delay, ...args) => {
        const id = ++last;
        Promise.resolve().then(() => cleared.has(id) || callback(...args));
        return id;
      };
      window.clearTimeout = (id) => cleared.add(id);
    });
  }
  return runAxe(page);
}

async function runAxe(page) {
  // Evaluated through the DevTools protocol: the page's CSP does not apply to axe itself.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(
    // preload: false: axe's preload parses style sheets in a <style> element of its own,
    // which the page's CSP (rightly) blocks; only the experimental css-orientation-lock rule,
    // outside the tags run here, needs it.
    (tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: false,
    }),
    AXE_TAGS,
  );
}

/** The Nu Html Checker's messages (errors only) on these files, in one call. */
export async function htmlErrorsOf(files) {
  const args = ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files];
  let report;
  try {
    report = (await promisify(execFile)('java', args, { maxBuffer: 64 * 1024 * 1024 })).stderr;
  } catch (error) {
    // 1: the checker ran and found errors; anything else: it did not run.
    if (error.code !== 1) throw new Error(`java -jar vnu.jar failed (${error.code}): ${error.stderr || error.message}`);
    report = error.stderr;
  }
  return JSON.parse(report).messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
}

/** Runs the Nu Html Checker once on every saved page; returns its errors, readable. */
export async function validateSavedPages() {
  if (savedPages.length === 0) return { pages: 0, errors: [] };
  const byFile = new Map(savedPages.map((p) => [p.file, p]));
  const errors = (await htmlErrorsOf(savedPages.map((p) => p.file)))
    .map((m) => {
      const file = decodeURIComponent(new URL(m.url).pathname);
      const page = byFile.get(file);
      return `${page ? `${page.url} (${page.journey}, ${path.basename(file)})` : file}` +
        ` line ${m.lastLine}: ${m.message}\n      ${(m.extract ?? '').replace(/\n/g, ' ')}`;
    });
  return { pages: savedPages.length, errors };
}
