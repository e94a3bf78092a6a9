// Debian's Chromium, headless, driven by playwright-core: one browser for the suite (on a fresh
// temporary profile, which playwright-core makes and removes), a new context (cookies,
// storage) for each journey run.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SAS_E2E_CHROMIUM || '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic',
    ],
    // A French browser (its translations come with Debian's chromium-l10n): date fields then
    // read jj/mm/aaaa, as in France.
    env: { ...process.env, LANG: 'fr_FR.UTF-8', LANGUAGE: 'fr' },
  });
}

/** A browser context as a French user in Paris has it (1280 × 900 unless told). */
export function newContext(browser, { baseURL, javaScript, viewport = { width: 1280, height: 900 } }) {
  return browser.newContext({
    baseURL,
    javaScriptEnabled: javaScript,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport,
    deviceScaleFactor: 1,
  });
}
