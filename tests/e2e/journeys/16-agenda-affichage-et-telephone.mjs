// Issue 19, items 5 and 6: the agenda at 1280 px and on a phone (375 px). « A+ » / « A− » change
// the text size, by three steps at most each way, remembered after a reload; « Paramètres
// d'affichage » (DSFR's) chooses the dark theme, remembered too. Five availabilities at once:
// four side by side, the fifth folded with the fourth into « +2 », none drawn over another.
// On the phone one day at a time, today's first, another chosen by its tab (a tap, or the
// arrow keys, Home and End). No page scrolls sideways (checked on every page, support/checks).
import assert from 'node:assert/strict';

import { addDays, longDate, mondayOf, today, weekdayIndex } from '../support/dates.mjs';
import {
  expectHeading, expectMessage, expectVisible, logIn, logOut, openAgenda,
} from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';
// The first four overlap at 09h45; the fifth makes five at once.
const OVERLAPPING = [
  ['09h00', '12h00'], ['09h00', '10h00'], ['09h15', '11h00'], ['09h30', '10h30'], ['09h45', '10h45'],
];

export default {
  title: "L'agenda à l'écran et sur téléphone : taille du texte, thème, disponibilités côte à côte, jours en onglets",
  modes: ['souris', 'clavier', 'telephone', 'telephoneClavier'],
  async run(person) {
    const { page } = person;
    const phone = page.viewportSize().width < 992;
    const main = page.getByRole('main');

    await logIn(person);
    await openAgenda(person, CENTRE);

    // « A+ » three times: larger at each press, then the button is disabled (the bound).
    const rootSize = () =>
      page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const headingSize = () => main.getByRole('heading', { level: 1 })
      .evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    const plus = main.getByRole('button', { name: 'A+ : augmenter la taille du texte' });
    const minus = main.getByRole('button', { name: 'A− : diminuer la taille du texte' });
    await expectVisible(plus, '« A+ »');
    await expectVisible(minus, '« A− »');
    const usual = await rootSize();
    const usualHeading = await headingSize();
    let last = usual;
    for (let i = 0; i < 3; i++) {
      await person.press(plus);
      const now = await rootSize();
      assert.ok(now > last, `A+ (${i + 1}): ${now}px after ${last}px`);
      last = now;
    }
    assert.ok(await plus.isDisabled(), '« A+ » disabled at the largest size');
    assert.ok(await headingSize() > usualHeading, 'the title larger too');
    // Remembered in this browser: the same size after a reload.
    await person.open(page.url());
    assert.equal(await rootSize(), last, 'the larger text after a reload');
    assert.ok(await plus.isDisabled(), '« A+ » still disabled after a reload');
    // « A− » down to the smallest size, then back to the usual one.
    for (let i = 0; i < 6; i++) await person.press(minus);
    assert.ok(await rootSize() < usual, 'smaller than usual');
    assert.ok(await minus.isDisabled(), '« A− » disabled at the smallest size');
    for (let i = 0; i < 3; i++) await person.press(plus);
    assert.equal(await rootSize(), usual, 'the usual size again');

    // « Paramètres d'affichage »: DSFR's pop-in, « Thème sombre », remembered after a reload.
    await person.press(main.getByRole('button', { name: "Paramètres d'affichage" }));
    const settings = page.getByRole('dialog', { name: "Paramètres d'affichage" });
    const closeSettings = async () => {
      const close = settings.getByRole('button', { name: 'Fermer' });
      if (person.keyboard) {
        await person.press(close);
      } else {
        // Then the finger lifted: nothing left hovered under it (in the dark theme, DSFR's
        // hovered tertiary buttons are below 4.5:1; not what this page adds).
        await close.click();
        await page.mouse.move(0, 0);
        await person.checks.pageLoaded(page);
      }
      await settings.waitFor({ state: 'hidden' });
    };
    await settings.waitFor({ state: 'visible' });
    await person.choose(settings.getByLabel('Thème sombre'));
    await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'dark');
    await person.checks.pageLoaded(page); // axe on the dark theme, the pop-in open
    await closeSettings();
    await person.open(page.url());
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-fr-theme')),
      'dark', 'the dark theme after a reload');
    await person.press(page.getByRole('contentinfo').getByRole('button', { name: "Paramètres d'affichage" }));
    await settings.waitFor({ state: 'visible' });
    await person.choose(settings.getByLabel('Thème clair'));
    await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'light');
    await closeSettings();

    // On the phone: the days as tabs, today's chosen and shown alone.
    const tab = (iso) => page.getByRole('tab', { name: longDate(iso) });
    const dayShown = (iso) => page.getByRole(phone ? 'tabpanel' : 'region', { name: longDate(iso) });
    if (phone) {
      await expectVisible(page.getByRole('tablist', { name: 'Jours de la semaine' }), 'the day tabs');
      assert.equal(await tab(today()).getAttribute('aria-selected'), 'true', "today's tab chosen");
      await expectVisible(dayShown(today()), "today's day");
      assert.equal(await page.getByRole('tabpanel').count(), 1, 'one day at a time');
    } else {
      assert.equal(await page.getByRole('tablist').count(), 0, 'no day tabs at 1280 px');
    }

    // Five availabilities at once on Saturday of next week (empty in the demo agenda).
    const day = addDays(mondayOf(today()), 12);
    for (const [from, to] of OVERLAPPING) {
      await person.follow(main.getByRole('link', { name: 'Créer des disponibilités' }));
      await expectHeading(page, 'Ajouter ou modifier des disponibilités');
      await person.fillDate(page.getByLabel(/^Date \*/), day);
      await person.select(page.getByLabel('De *', { exact: true }), from);
      await person.select(page.getByLabel('A *', { exact: true }), to);
      await person.choose(page.getByLabel('Je peux recevoir N patients sur cette plage horaire'));
      await person.fill(page.getByLabel('Nombre de patients (N) sur la plage'), '2');
      await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
      await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
    }

    if (phone) {
      // The weekday chosen this week stays chosen in the next one.
      const kept = addDays(mondayOf(day), weekdayIndex(today()));
      assert.equal(await tab(kept).getAttribute('aria-selected'), 'true', 'the same weekday chosen');
      if (person.keyboard) {
        // The ARIA tabs pattern: Tab reaches the chosen tab; End, Home, then the arrows.
        await person.press(tab(kept));
        await page.keyboard.press('End');
        await expectFocusedTab(page, addDays(mondayOf(day), 6));
        await page.keyboard.press('Home');
        await expectFocusedTab(page, mondayOf(day));
        await page.keyboard.press('ArrowLeft'); // from Monday round to Sunday
        await expectFocusedTab(page, addDays(mondayOf(day), 6));
        await page.keyboard.press('ArrowLeft');
        await expectFocusedTab(page, day);
        await person.checks.pageLoaded(page);
      } else {
        await person.press(tab(day));
      }
      assert.equal(await tab(day).getAttribute('aria-selected'), 'true', "Saturday's tab chosen");
      assert.equal(await page.getByRole('tabpanel').count(), 1, 'one day at a time');
    }

    // Four side by side, « +2 » for the two more; no box over another.
    const column = dayShown(day);
    await expectVisible(column, `the column of ${longDate(day)}`);
    const boxes = column.getByRole('list').first().locator(':scope > li');
    assert.equal(await boxes.count(), 4, 'three availabilities and « +2 » drawn');
    // « +2 », its hours for screen readers.
    const fold = column.getByText(/^\+2 disponibilités de 09h30 à 10h45/);
    await expectVisible(fold, '« +2 »');
    const rects = [];
    for (let i = 0; i < 4; i++) rects.push(await boxes.nth(i).boundingBox());
    for (let i = 0; i < 4; i++) {
      assert.ok(rects[i].width >= 40, `box ${i} is ${rects[i].width}px wide`);
      for (let j = i + 1; j < 4; j++)
        assert.ok(!intersect(rects[i], rects[j]), `boxes ${i} and ${j} overlap: ${JSON.stringify([rects[i], rects[j]])}`);
    }
    // « +2 » opened: the two more with their links.
    await person.press(fold);
    for (const hours of ['09h30 - 10h30', '09h45 - 10h45'])
      await expectVisible(column.getByRole('link', { name: `Modifier la disponibilité du ${longDate(day)}, ${hours}` }));
    const sideways = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `the page scrolls sideways by ${sideways}px with « +2 » open`);
    // « Votre compte » open (the page checked so, no wider than the window), « Se déconnecter ».
    await logOut(person);
  },
};

function intersect(a, b) {
  // Touching edges (a box ending where the next starts) is not covering.
  return a.x + a.width > b.x + 0.5 && b.x + b.width > a.x + 0.5 &&
    a.y + a.height > b.y + 0.5 && b.y + b.height > a.y + 0.5;
}

async function expectFocusedTab(page, iso) {
  const focused = await page.evaluate(() => ({
    name: document.activeElement?.textContent, selected: document.activeElement?.getAttribute('aria-selected'),
  }));
  assert.ok(focused.name?.includes(longDate(iso)), `the focus on ${longDate(iso)}: « ${focused.name} »`);
  assert.equal(focused.selected, 'true', `${longDate(iso)} chosen with the focus`);
}
