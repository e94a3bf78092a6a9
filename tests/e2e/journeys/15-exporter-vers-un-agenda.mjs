// « Exporter vers un agenda (iCalendar) » (docs/rules.md#calendar-export): from the agenda, the
// manager creates the subscription link, shown once; the feed answers a calendar application
// (no session) with the place's availabilities; revoked, the same link answers 404.
import assert from 'node:assert/strict';

import { expectHeading, expectMessage, logIn, openAgenda } from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';

export default {
  title: '« Exporter vers un agenda (iCalendar) » : créer le lien, s\'abonner, révoquer',
  modes: ['souris', 'clavier', 'sansJavaScript', 'telephone'],
  async run(person) {
    const { page } = person;
    await logIn(person);
    await openAgenda(person, CENTRE);
    await person.follow(page.getByRole('link', { name: 'Exporter vers un agenda (iCalendar)' }));
    await expectHeading(page, 'Exporter vers un agenda (iCalendar)');

    await person.follow(page.getByRole('button', { name: /^Créer (le|un nouveau) lien d'abonnement$/ }));
    await expectHeading(page, "Votre lien d'abonnement", 2);
    const link = page.getByLabel("Lien d'abonnement (iCalendar)");
    const url = await link.inputValue();
    assert.match(url, /\/lieux\/\d+\/agenda\.ics\?cle=[^&\s]+$/, url);

    // A calendar application: no cookie, no session.
    const feed = await fetch(url, { redirect: 'manual' });
    assert.equal(feed.status, 200, `the feed: ${feed.status}`);
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar; ?charset=utf-8$/i);
    assert.equal(feed.headers.get('set-cookie'), null, 'the feed sets no cookie');
    const text = await feed.text();
    assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'), text.slice(0, 80));
    assert.ok(text.includes('BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n'), 'the place\'s time zone');
    assert.ok(text.includes('BEGIN:VEVENT\r\n'), 'the demo agenda has availabilities');
    assert.ok(text.trimEnd().endsWith('END:VCALENDAR'), text.slice(-80));

    await person.follow(page.getByRole('button', { name: 'Révoquer le lien' }));
    await expectMessage(page, 'status', "Le lien d'abonnement a été révoqué");
    const revoked = await fetch(url, { redirect: 'manual' });
    assert.equal(revoked.status, 404, `the revoked link: ${revoked.status}`);
  },
};
