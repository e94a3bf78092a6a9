// Guide §2.2 and §2.3 seen from the regulation (docs/rules.md#unavailability): the structure
// manager publishes an availability for tomorrow, a regulator's search finds it; the manager
// then programs an unavailability « Dès maintenant pour une durée indéterminée », and the same
// search no longer shows it.
import { addDays, today } from '../support/dates.mjs';
import {
  expectAbsent, expectHeading, expectMessage, expectVisible, logIn, logOut, MANAGER, openAgenda,
  REGULATOR,
} from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';
const HOURS = '19h00 - 19h30';

export default {
  title: 'Le régulateur trouve une disponibilité, puis plus pendant une indisponibilité',
  modes: ['souris', 'clavier', 'telephone'],  // and on a phone: no page wider than it
  async run(person) {
    const { page } = person;
    const tomorrow = addDays(today(), 1);

    // The manager: a créneau tomorrow evening, in teleconsultation only.
    await logIn(person, MANAGER);
    await openAgenda(person, CENTRE);
    await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
    await person.fillDate(page.getByLabel(/^Date \*/), tomorrow);
    await person.select(page.getByLabel('De *', { exact: true }), '19h00');
    await person.select(page.getByLabel('A *', { exact: true }), '19h30');
    await person.choose(page.getByLabel(/^Je peux recevoir un patient sur ce créneau/));
    await person.uncheck(page.getByLabel('Consultation en cabinet'));
    await person.check(page.getByLabel('Téléconsultation'));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
    // The self-check agrees with the search below (docs/rules.md#visibility-self-check).
    await expectVisible(page.getByRole('region', { name: 'Visibilité auprès des régulateurs' })
      .getByText(/Visible des régulateurs : \d+ disponibilités? dans les 72 h/), 'the self-check, visible');
    await logOut(person);

    // The regulator: the search around Paris, 10 km (the centre is in the 16e, 6 km from the
    // town's centre), finds it tomorrow.
    const search = async () => {
      await logIn(person, REGULATOR);
      await person.fill(page.getByLabel(/^Renseigner une adresse/), 'Paris');
      await person.fill(page.getByLabel(/^Rayon \(km\)/), '10');
      await person.follow(page.getByRole('button', { name: 'Rechercher' }));
      await expectHeading(page, 'Rechercher une disponibilité');
      await expectVisible(page.getByRole('heading', { name: /^\d+ résultats?$/, level: 2 }), 'the results');
      return page.getByRole('listitem').filter({
        has: page.getByRole('heading', { name: CENTRE, level: 3 }) });
    };
    let card = await search();
    await expectVisible(card, `the card of ${CENTRE}`);
    const day = card.getByRole('heading', { name: /^Demain/, level: 4 });
    await expectVisible(day, 'tomorrow on the card');
    await expectVisible(card.getByRole('listitem').filter({ hasText: HOURS })
      .filter({ hasText: 'Créneau · 1 patient' }).filter({ hasText: 'Téléconsultation' }),
    `${HOURS} tomorrow, a créneau in teleconsultation`);
    await person.screenshot('recherche', {
      from: page.getByRole('heading', { name: 'Rechercher une disponibilité', level: 1 }), height: 1100 });
    await logOut(person);

    // The manager: unavailable from now on, for an indefinite time.
    await logIn(person, MANAGER);
    await openAgenda(person, CENTRE);
    await person.follow(page.getByRole('link', { name: 'Programmer une indisponibilité' }));
    await person.check(page.getByLabel('Dès maintenant pour une durée indéterminée'));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Votre indisponibilité a été enregistrée.');
    const why = page.getByRole('region', { name: 'Pourquoi ne suis-je pas visible ?' });
    await expectVisible(why.getByText(/Une indisponibilité est en cours : le lieu/), 'the self-check\'s reason');
    await expectVisible(why.getByRole('link', { name: "Modifier l'indisponibilité" }), 'the link that fixes it');
    await logOut(person);

    // The same search: the centre's availabilities are no longer offered.
    card = await search();
    await expectAbsent(card.getByText(HOURS), `${HOURS} on the card of ${CENTRE}`);
  },
};
