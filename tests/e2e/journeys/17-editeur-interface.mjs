// Issue 21 and docs/rules.md#publishers: an interfaced booking software's slots in the
// regulators' search. The publisher is a second platform of ours in FHIR publisher mode
// (support/publisher.mjs), with the demo set of docs/fhir.md: Dr Dupont's cabinet, Paris 18e,
// a créneau every day at 09:00 and a plage 14:00–17:00 (all of tomorrow off). The administrator
// registers it on « Éditeurs interfacés » with the PEM files' paths; the cabinet's manager says
// in « Vos paramètres » that its software publishes its availabilities; « Interroger
// maintenant », and the regulator sees the cabinet's pulled slots as links to the publisher's
// booking page. The cabinet's manager on the publisher then programs an indefinite
// unavailability there; « Interroger maintenant » again, and the links leave the search.
//
// Four people, each in a browser of their own (newPerson): the administrator, the manager on
// the SAS, the regulator, the manager on the publisher.
import assert from 'node:assert/strict';

import { addStructureManager } from '../support/publisher.mjs';
import {
  expectHeading, expectMessage, expectVisible, logIn, openAgenda, REGULATOR,
} from '../support/steps.mjs';

const ADMINISTRATOR = { email: 'administrateur@sas.test', name: 'Paul Lefèvre' };
const CABINET = 'Cabinet du Dr Dupont';
const SIRET = '12345678200010';
const PUBLISHER_NAME = 'Agenda Dupont Logiciel';
const MANAGER = {
  email: 'secretariat@cabinet-dupont.test', first: 'Nadia', last: 'Roche',
  password: 'Cabinet-Dupont-2026!', siret: SIRET,
};
const LINK = new RegExp(`^Agenda de l'éditeur ${PUBLISHER_NAME}`);
// Past « Interroger maintenant », the background job's next tick (every 5 s) pulls; the page is
// reloaded until what the pull changes shows, for at most this long.
const PULL_WAIT_MS = 20_000;

/** The administrator's « Interroger maintenant » on the publisher's sheet. */
async function pullNow(admin) {
  const { page } = admin;
  await admin.follow(page.getByRole('button', { name: 'Interroger maintenant' }));
  await expectHeading(page, `Éditeur ${PUBLISHER_NAME}`);
  await expectMessage(page, 'status', "L'éditeur sera interrogé dans les prochaines secondes.");
}

/** The regulator's search around Paris 18e; the card of Dr Dupont's cabinet. */
async function search(regulator) {
  const { page } = regulator;
  await regulator.open('/tableau-de-bord');
  await expectHeading(page, REGULATOR.heading);
  await regulator.fill(page.getByLabel(/^Renseigner une adresse/), '40 rue Ordener 75018 Paris');
  await regulator.fill(page.getByLabel(/^Rayon \(km\)/), '2');
  await regulator.follow(page.getByRole('button', { name: 'Rechercher' }));
  await expectHeading(page, 'Rechercher une disponibilité');
  const card = page.getByRole('listitem').filter({
    has: page.getByRole('heading', { name: CABINET, level: 3 }) });
  await expectVisible(card, `the card of ${CABINET}`);
  return card;
}

/** Reloads the regulator's results until `done(card)` holds (the pull ran), or fails. */
async function reloadUntil(regulator, done, what) {
  const { page } = regulator;
  const results = page.url();
  const deadline = Date.now() + PULL_WAIT_MS;
  for (;;) {
    const card = page.getByRole('listitem').filter({
      has: page.getByRole('heading', { name: CABINET, level: 3 }) });
    if (await done(card)) return card;
    assert.ok(Date.now() < deadline, `${what}: not within ${PULL_WAIT_MS / 1000} s of the pull`);
    // A short pause between reloads, not a wait for the pull: the job's tick is 5 s.
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    await regulator.open(results);
  }
}

export default {
  title: 'Éditeur interfacé : ses créneaux dans la recherche, puis plus',
  publisher: true,
  serverConfig: { 'jobs.enabled': 'true' },
  async run(admin, { server, publisher, newPerson }) {
    await addStructureManager(server, MANAGER);
    await addStructureManager(publisher.server, MANAGER);
    const manager = await newPerson();
    const regulator = await newPerson();
    const publisherManager = await newPerson(publisher.server.url);
    const managerAccount = { ...MANAGER, name: `${MANAGER.first} ${MANAGER.last}` };

    // The administrator registers the publisher: « Comptes », then « Éditeurs interfacés ».
    let page = admin.page;
    await logIn(admin, ADMINISTRATOR);
    await admin.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
    await admin.follow(page.getByRole('banner').getByRole('link', { name: 'Comptes', exact: true }));
    await admin.follow(page.getByRole('link', { name: 'Éditeurs interfacés' }));
    await expectHeading(page, 'Éditeurs interfacés');
    await expectVisible(page.getByText("Aucun éditeur n'est enregistré."), 'the empty registry');
    await admin.follow(page.getByRole('link', { name: 'Ajouter un éditeur' }));
    await expectHeading(page, 'Ajouter un éditeur');
    await admin.fill(page.getByLabel(/^Nom de l'éditeur \*/), PUBLISHER_NAME);
    await admin.fill(page.getByLabel(/^Adresse FHIR \*/), publisher.fhirUrl);
    await admin.fill(page.getByLabel(/^Certificat client \(PEM\) \*/), publisher.certificate);
    await admin.fill(page.getByLabel(/^Clé privée du certificat \(PEM\) \*/), publisher.key);
    await admin.fill(page.getByLabel(/^Autorité de certification de l'éditeur \(PEM\) \*/), publisher.ca);
    await admin.fill(page.getByLabel(/^Période d'interrogation, en minutes \*/), '5');
    await admin.check(page.getByLabel('Interroger cet éditeur'));
    await admin.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectHeading(page, `Éditeur ${PUBLISHER_NAME}`);
    await expectMessage(page, 'status', 'Les modifications ont été enregistrées.');
    const publisherSheet = page.url();

    // Administrators and account managers may also set it per structure, on « Structures ».
    await admin.open('/comptes');
    await admin.follow(page.getByRole('link', { name: 'Structures', exact: true }));
    await expectHeading(page, 'Structures');
    await expectVisible(page.getByLabel(`Logiciel de prise de rendez-vous de ${CABINET}`),
      'the cabinet\'s software on « Structures »');
    await admin.open(publisherSheet);
    await expectHeading(page, `Éditeur ${PUBLISHER_NAME}`);

    // No structure has chosen it yet: the regulator sees the cabinet's own availabilities only.
    await logIn(regulator, REGULATOR);
    let card = await search(regulator);
    assert.equal(await card.getByRole('link', { name: LINK }).count(), 0, 'a publisher\'s slot before the choice');

    // The cabinet's manager: « Vos paramètres », its software publishes its availabilities.
    page = manager.page;
    await logIn(manager, managerAccount);
    await manager.follow(page.getByRole('region', { name: CABINET })
      .getByRole('link', { name: 'Éditer les paramètres' }));
    await expectHeading(page, 'Vos paramètres');
    await manager.check(page.getByLabel(/^Mes disponibilités sont publiées par mon logiciel de prise de rendez-vous/));
    await manager.select(page.getByLabel('Éditeur du logiciel'), PUBLISHER_NAME);
    await manager.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Vos paramètres ont été enregistrés.');

    // « Interroger maintenant »: the next tick pulls; the pulled slots link to the publisher.
    await pullNow(admin);
    card = await reloadUntil(regulator, async (c) => await c.getByRole('link', { name: LINK }).count() > 0,
      'the publisher\'s slots in the search');
    const links = card.getByRole('link', { name: LINK });
    for (let i = 0; i < await links.count(); i++) {
      const link = links.nth(i);
      assert.equal(await link.getAttribute('target'), '_blank');
      const href = new URL(await link.getAttribute('href'));
      assert.equal(href.origin, publisher.server.url, `${href}: the publisher's booking page`);
      assert.match(href.pathname, /^\/recherche\/lieux\/\d+$/);
      assert.equal(href.searchParams.get('origin'), 'sas', `${href}: origin=sas`);
    }
    // Ours stay bookable here.
    await expectVisible(card.getByRole('link', { name: /^Adresser un patient/ }).first(), 'an availability of ours');
    await regulator.screenshot('recherche-editeur', {
      from: regulator.page.getByRole('heading', { name: 'Rechercher une disponibilité', level: 1 }), height: 1100 });
    // The administrator's sheet tells the pull.
    await admin.open(admin.page.url());
    await expectVisible(admin.page.getByRole('definition').filter({ hasText: /^1 \(1 structure/ }),
      'one professional pulled, for one structure');

    // On the publisher, the cabinet's manager is away from now on, for an indefinite time.
    page = publisherManager.page;
    await logIn(publisherManager, managerAccount);
    await openAgenda(publisherManager, CABINET);
    await publisherManager.follow(page.getByRole('link', { name: 'Programmer une indisponibilité' }));
    await publisherManager.check(page.getByLabel('Dès maintenant pour une durée indéterminée'));
    await publisherManager.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Votre indisponibilité a été enregistrée.');

    // « Interroger maintenant » again: the publisher's slots leave the search.
    await pullNow(admin);
    card = await reloadUntil(regulator, async (c) => await c.getByRole('link', { name: LINK }).count() === 0,
      'the publisher\'s slots gone from the search');
    await expectVisible(card.getByRole('link', { name: /^Adresser un patient/ }).first(), 'an availability of ours');
  },
};
