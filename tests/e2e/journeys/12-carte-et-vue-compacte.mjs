// Issue 16, items 5 to 7, as a regulator sees them: a search link opened before the login keeps
// its criteria after it; the map beside the results (tiles from the stand-in of
// support/tiles.mjs) has one numbered marker per result, the number of its line in the list,
// and nothing in it takes the focus; « Vue compacte » gives one line per place and « Imprimer »
// a print view without the page's navigation; back on the search without criteria, his last
// search is offered again.
import assert from 'node:assert/strict';

import {
  acceptCguIfAsked, DEMO_PASSWORD, expectHeading, expectVisible, REGULATOR,
} from '../support/steps.mjs';

// Around Paris, 10 km, the structures that take patients beyond their availabilities: the demo's
// Centre de santé Michel-Ange whatever the day and hour.
const SEARCH = '/recherche?adresse=Paris&rayon=10&mode=sus';
const RESULTS = { name: /^\d+ résultats?/, level: 2 };
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

async function listNumbers(page) {
  return page.locator('[data-sas-numero]').evaluateAll(
    (items) => items.map((item) => item.getAttribute('data-sas-numero')));
}

async function markerNumbers(page) {
  const map = page.locator('#carte');
  await map.locator('.leaflet-marker-icon').first().waitFor();
  await map.locator('img.leaflet-tile-loaded').first().waitFor();
  return map.locator('.leaflet-marker-icon').evaluateAll(
    (markers) => markers.map((marker) => marker.textContent.trim()));
}

async function expectMapMatchesList(page, tiles) {
  const numbers = await listNumbers(page);
  assert.ok(numbers.length > 0, 'results with their numbers');
  assert.deepEqual(numbers, numbers.map((_, i) => String(i + 1)), 'the list numbered from 1');
  assert.deepEqual(await markerNumbers(page), numbers, 'one marker per result, with its number');
  assert.ok(tiles.requests() > 0, 'tiles asked from the configured tile server');
  const map = page.locator('#carte');
  assert.equal(await map.getAttribute('aria-hidden'), 'true', 'the map hidden from assistive technologies');
  assert.equal(await map.locator(FOCUSABLE).count(), 0, 'nothing in the map takes the focus');
}

export default {
  title: 'Le régulateur voit ses résultats sur une carte, en vue compacte et à l\'impression',
  tileServer: true,
  async run(person, { tiles }) {
    const { page } = person;

    // A search link opened before the login: the login page, then the search itself.
    await person.open(SEARCH);
    await expectHeading(page, 'Connectez-vous à votre compte');
    await person.fill(page.getByLabel('Adresse électronique'), REGULATOR.email);
    await person.fill(page.getByLabel('Mot de passe', { exact: true }), DEMO_PASSWORD);
    await person.follow(page.getByRole('button', { name: 'Connexion' }));
    // The demo account's first login: the CGU pop-in over the search, which comes back after.
    await acceptCguIfAsked(person);
    await expectHeading(page, 'Rechercher une disponibilité');
    await expectVisible(page.getByRole('heading', RESULTS), 'the results');
    assert.equal(await page.getByLabel(/^Renseigner une adresse/).inputValue(), 'Paris');
    assert.equal(await page.getByLabel(/^Rayon \(km\)/).inputValue(), '10');
    assert.ok(await page.getByLabel(/^Créneaux en sus des disponibilités/).isChecked());

    // The map beside the list.
    await expectMapMatchesList(page, tiles);
    await person.screenshot('recherche-carte', {
      from: page.getByRole('heading', RESULTS), height: 700 });

    // « Vue compacte »: one line per place, the same numbers on the map.
    await person.follow(page.getByRole('link', { name: 'Vue compacte' }));
    const rows = page.getByRole('table').getByRole('row');
    await expectVisible(rows.first(), 'the compact list');
    assert.equal(await rows.count() - 1, (await listNumbers(page)).length, 'one line per place');
    await expectMapMatchesList(page, tiles);
    await person.screenshot('recherche-vue-compacte', {
      from: page.getByRole('heading', RESULTS), height: 500 });

    // « Imprimer »: the print view has the results, not the header, the form nor the map.
    await expectVisible(page.getByRole('button', { name: 'Imprimer' }), '« Imprimer »');
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.getByRole('table').isVisible(), 'the results printed');
    for (const [what, locator] of [['the header', page.getByRole('banner')],
      ['the search form', page.getByRole('search')], ['the footer', page.getByRole('contentinfo')],
      ['the map', page.locator('#carte')], ['« Imprimer »', page.getByRole('button', { name: 'Imprimer' })]])
      assert.equal(await locator.isVisible(), false, `${what} not printed`);
    await person.screenshot('recherche-impression');
    await page.emulateMedia({ media: null });

    // Back on the search without criteria: the last search, one link away.
    await person.open('/recherche');
    await expectVisible(page.getByText(/^Votre dernière recherche : Toutes les structures autour de Paris/),
      'the last search');
    await person.follow(page.getByRole('link', { name: 'Reprendre votre dernière recherche' }));
    await expectVisible(page.getByRole('heading', RESULTS), 'the results again');
    await expectVisible(page.getByRole('table'), 'in the compact view still');
  },
};
