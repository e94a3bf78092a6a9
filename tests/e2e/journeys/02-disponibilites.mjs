// Guide §2.2: create a weekly availability, see it the next week, modify one occurrence,
// modify all weeks from a date, delete all weeks from a date. Also run without JavaScript:
// the guide's pop-ins are pages of their own and every form is a plain form.
import assert from 'node:assert/strict';

import {
  addDays, longDate, mondayOf, shortDate, today, weekdayName, weekLabel,
} from '../support/dates.mjs';
import {
  expectAbsent, expectFieldMessage, expectHeading, expectMessage, expectVisible, logIn, openAgenda,
} from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';

export default {
  title: 'Créer des disponibilités, les modifier et les supprimer',
  modes: ['souris', 'clavier', 'sansJavaScript'],
  async run(person) {
    const { page } = person;
    // Saturday of next week: in the future whatever today is, and empty in the demo agenda.
    const first = addDays(mondayOf(today()), 12);
    const [second, third, fourth, fifth] = [7, 14, 21, 28].map((n) => addDays(first, n));

    const week = (monday) =>
      page.getByRole('region', { name: `Agenda de la semaine du ${weekLabel(monday)}` });
    const day = (iso) => page.getByRole('region', { name: longDate(iso) });
    const shows = (iso, hours) => expectVisible(day(iso).getByText(hours, { exact: true }),
      `${hours} on ${longDate(iso)}`);
    const showsNothing = (iso) => expectAbsent(day(iso).getByRole('listitem'),
      `availabilities on ${longDate(iso)}`);
    const nextWeek = async (iso) => {
      await person.follow(page.getByRole('link', { name: 'Jours suivants' }));
      await expectVisible(week(mondayOf(iso)), `agenda of the week of ${iso}`);
    };
    const previousWeek = async (iso) => {
      await person.follow(page.getByRole('link', { name: 'Semaine précédente' }));
      await expectVisible(week(mondayOf(iso)), `agenda of the week of ${iso}`);
    };

    await logIn(person);
    await openAgenda(person, CENTRE);
    await expectVisible(week(mondayOf(today())), 'agenda of this week');

    // With JavaScript, htmx changes the week in place: the page is not loaded again (what the
    // window holds survives), the address follows, and the focus stays on the link for the
    // next press. Without JavaScript, the same link loads the next week's page.
    const before = page.url();
    if (person.mode.javaScript) await page.evaluate(() => { window.sasSameDocument = true; });
    const how = await person.follow(page.getByRole('link', { name: 'Jours suivants' }));
    await expectVisible(week(addDays(mondayOf(today()), 7)), 'agenda of next week');
    assert.notEqual(page.url(), before, 'the address of next week');
    assert.match(page.url(), new RegExp(`semaine=${addDays(mondayOf(today()), 7)}`));
    if (person.mode.javaScript) {
      assert.equal(how, 'swap', 'the week changed in place (htmx)');
      assert.equal(await page.evaluate(() => window.sasSameDocument), true, 'no full reload');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent.trim()),
        'Jours suivants', 'the focus on « Jours suivants »');
      // The new week is read out by screen readers: the layout's live region, kept across swaps.
      await page.waitForFunction((label) => document.getElementById('annonce')?.textContent === label,
        weekLabel(addDays(mondayOf(today()), 7)));
    } else {
      assert.equal(how, 'load');
    }
    await previousWeek(today());

    // « Créer des disponibilités »: a plage for 2 patients, every Saturday from the first one.
    await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
    await expectHeading(page, 'Ajouter ou modifier des disponibilités');
    // « Enregistrer » too early: each missing field is named, in the summary and next to it.
    await person.uncheck(page.getByLabel('Consultation en cabinet')); // ticked by default
    const form = page.url();
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'alert', 'Le formulaire contient des erreurs');
    // htmx keeps the form's address (a reload shows the form); a full page shows the POST's.
    if (person.mode.javaScript) assert.equal(page.url(), form, 'the address of the refused form');
    for (const [field, message] of [
      [page.getByLabel('De *', { exact: true }), "L'heure de début est obligatoire."],
      [page.getByLabel('A *', { exact: true }), "L'heure de fin est obligatoire."],
      [page.getByRole('group', { name: /^Créneau ou plage/ }),
        'Choisissez un créneau (un patient) ou une plage (plusieurs patients).'],
      [page.getByRole('group', { name: /^Type de consultation/ }),
        'Choisissez au moins un type de consultation.'],
    ]) {
      await expectVisible(page.getByRole('link', { name: message }), `summary link « ${message} »`);
      await expectFieldMessage(field, message);
    }
    await person.fillDate(page.getByLabel(/^Date \*/), first);
    await person.select(page.getByLabel('De *', { exact: true }), '14h00');
    await person.select(page.getByLabel('A *', { exact: true }), '16h00');
    await person.choose(page.getByLabel('Je peux recevoir N patients sur cette plage horaire'));
    await person.fill(page.getByLabel('Nombre de patients (N) sur la plage'), '2');
    await person.check(page.getByLabel('Consultation en cabinet'));
    await person.check(page.getByLabel('Téléconsultation'));
    await person.check(page.getByLabel(`Chaque ${weekdayName(first)}`));
    const saved = await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    // Back to the agenda in place too with JavaScript (the POST's 303 followed by htmx).
    assert.equal(saved, person.mode.javaScript ? 'swap' : 'load', 'back to the agenda');

    await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
    await expectVisible(week(mondayOf(first)), 'agenda of the week of the new availability');
    await shows(first, '14h00 - 16h00');
    await expectVisible(day(first).getByText('Plage · 2 patients'));
    await nextWeek(second);
    await shows(second, '14h00 - 16h00');

    // Modify this occurrence only (the default): the second Saturday ends at 17h00.
    await person.follow(page.getByRole('link', {
      name: `Modifier la disponibilité du ${longDate(second)}, 14h00 - 16h00`, exact: true }));
    await expectHeading(page, 'Ajouter ou modifier des disponibilités');
    const thisOne = page.getByLabel(`à cette occurrence uniquement : ${shortDate(second)}`);
    if (!(await thisOne.isChecked())) throw new Error('« à cette occurrence uniquement » is not the default');
    await expectVisible(page.getByLabel(/^à toutes les semaines/));
    await person.select(page.getByLabel('A *', { exact: true }), '17h00');
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'La disponibilité a été modifiée.');
    await shows(second, '14h00 - 17h00');
    await nextWeek(third);
    await shows(third, '14h00 - 16h00');

    // Modify all weeks from the third Saturday: from 15h00; earlier weeks keep their hours.
    await person.follow(page.getByRole('link', {
      name: `Modifier la disponibilité du ${longDate(third)}, 14h00 - 16h00`, exact: true }));
    await person.choose(page.getByLabel(/^à toutes les semaines/));
    await person.select(page.getByLabel('De *', { exact: true }), '15h00');
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'La disponibilité a été modifiée.');
    await shows(third, '15h00 - 16h00');
    await previousWeek(second);
    await shows(second, '14h00 - 17h00');
    await nextWeek(third);
    await nextWeek(fourth);
    await shows(fourth, '15h00 - 16h00');

    // Delete all weeks from the fourth Saturday: the third one stays.
    await person.follow(page.getByRole('link', {
      name: `Supprimer la disponibilité du ${longDate(fourth)}, 15h00 - 16h00`, exact: true }));
    await expectHeading(page, 'Supprimer une disponibilité');
    await person.choose(page.getByLabel(
      `Supprimer le créneau ou la plage pour toutes les semaines à compter du ${shortDate(fourth)}`));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'La disponibilité a été supprimée.');
    await showsNothing(fourth);
    await nextWeek(fifth);
    await showsNothing(fifth);
    await previousWeek(fourth);
    await previousWeek(third);
    await shows(third, '15h00 - 16h00');
    // With JavaScript, all of the above (weeks, forms, refusals) happened without one reload.
    if (person.mode.javaScript)
      assert.equal(await page.evaluate(() => window.sasSameDocument), true, 'no full reload');
  },
};
