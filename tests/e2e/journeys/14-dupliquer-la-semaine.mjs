// « Dupliquer la semaine » (docs/rules.md#copy-a-week): a one-off of next week copied to the
// week after and to the manager's other centre, previewed, refused once for a number of weeks
// out of range (the form keeps what was typed), then confirmed; the agendas show the copies.
import assert from 'node:assert/strict';

import { addDays, longDate, mondayOf, today, weekLabel } from '../support/dates.mjs';
import {
  expectFieldMessage, expectHeading, expectMessage, expectVisible, logIn, openAgenda,
} from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';
const OTHER = 'Centre de santé Lyon Part-Dieu';

export default {
  title: '« Dupliquer la semaine » : prévisualiser, puis confirmer la duplication',
  modes: ['souris', 'clavier', 'sansJavaScript', 'telephone'],
  async run(person) {
    const { page } = person;
    // Saturday of next week: in the future whatever today is, and free in the demo agenda.
    const saturday = addDays(mondayOf(today()), 12);
    const nextSaturday = addDays(saturday, 7);
    const week = (monday) =>
      page.getByRole('region', { name: `Agenda de la semaine du ${weekLabel(monday)}` });
    // On a phone the agenda shows one day at a time: its tab is chosen first.
    const phone = page.viewportSize().width < 992;
    const day = async (iso) => {
      if (!phone) return page.getByRole('region', { name: longDate(iso) });
      await person.press(page.getByRole('tab', { name: longDate(iso) }));
      return page.getByRole('tabpanel', { name: longDate(iso) });
    };
    const weeks = page.getByLabel(/^Nombre de semaines suivantes/);

    await logIn(person);
    await openAgenda(person, CENTRE);
    await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
    await person.fillDate(page.getByLabel(/^Date \*/), saturday);
    await person.select(page.getByLabel('De *', { exact: true }), '18h00');
    await person.select(page.getByLabel('A *', { exact: true }), '19h00');
    await person.choose(page.getByLabel('Je peux recevoir un patient sur ce créneau de disponibilité'));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectVisible(week(mondayOf(saturday)), 'agenda of next week');

    await person.follow(page.getByRole('link', { name: 'Dupliquer la semaine' }));
    await expectHeading(page, 'Dupliquer la semaine');
    assert.equal(await weeks.inputValue(), '1', 'one week by default');
    assert.ok(await page.getByLabel(`${CENTRE} (ce lieu)`).isChecked(), 'this centre ticked');
    assert.ok(!(await page.getByLabel(OTHER).isChecked()), 'the other centre not ticked');

    // 13 weeks: refused, named next to the field, the form as typed.
    await person.fill(weeks, '13');
    await person.check(page.getByLabel(OTHER));
    await person.follow(page.getByRole('button', { name: 'Prévisualiser' }));
    const refusal = 'Le nombre de semaines suivantes doit être un nombre entier de 0 à 12.';
    await expectMessage(page, 'alert', 'Le formulaire contient des erreurs');
    await expectVisible(page.getByRole('link', { name: refusal }), 'summary link');
    await expectFieldMessage(weeks, refusal);
    assert.equal(await weeks.inputValue(), '13', 'the number typed');
    assert.ok(await page.getByLabel(OTHER).isChecked(), 'the other centre still ticked');
    assert.equal(await page.getByRole('button', { name: 'Confirmer la duplication' }).count(), 0);

    await person.fill(weeks, '1');
    await person.follow(page.getByRole('button', { name: 'Prévisualiser' }));
    await expectHeading(page, 'Aperçu de la duplication', 2);
    await expectMessage(page, 'status', '3 disponibilités seront créées, 0 copie écartée.');
    const created = page.getByRole('table', { name: 'Disponibilités qui seront créées' });
    await expectVisible(created, 'the preview table');
    assert.equal(await created.getByRole('row').count(), 4, 'a header and three copies');
    await expectVisible(created.getByRole('row')
      .filter({ hasText: CENTRE }).filter({ hasText: longDate(nextSaturday) }), 'the copy here');
    await expectVisible(created.getByRole('row')
      .filter({ hasText: OTHER }).filter({ hasText: longDate(saturday) }), 'the copy there');
    await person.screenshot('apercu', {
      from: page.getByRole('heading', { name: 'Aperçu de la duplication' }), height: 600 });

    await person.follow(page.getByRole('button', { name: 'Confirmer la duplication' }));
    await expectMessage(page, 'status',
      'La semaine a été dupliquée : vos disponibilités ont été créées.');
    await expectVisible(week(mondayOf(saturday)), 'back on the week copied');
    await person.follow(page.getByRole('link', { name: 'Jours suivants' }));
    await expectVisible(week(mondayOf(nextSaturday)), 'agenda of the week after');
    await expectVisible((await day(nextSaturday)).getByText('18h00 - 19h00', { exact: true }),
      'the copy on the Saturday after');

    await person.follow(page.getByRole('link', { name: 'Retour', exact: true }));
    await openAgenda(person, OTHER);
    await person.follow(page.getByRole('link', { name: 'Jours suivants' }));
    await expectVisible((await day(saturday)).getByText('18h00 - 19h00', { exact: true }),
      'the copy on the other centre');
  },
};
