// SPEC §12 (issue 18): an account manager creates a délégataire for a doctor (the demo's Dr Noël
// Béranger, « Effecteur de soins », and his own cabinet); the délégataire, from his dashboard,
// adds an availability on the doctor's cabinet; the doctor sees it in his agenda, then ends the
// delegation in « Vos délégataires »; the délégataire no longer finds the cabinet on his
// dashboard.
import { linkIn, waitForMail } from '../support/mail.mjs';
import { addDays, longDate, mondayOf, today } from '../support/dates.mjs';
import {
  expectAbsent, expectHeading, expectMessage, expectVisible, logIn, logOut, openAgenda,
} from '../support/steps.mjs';

const ACCOUNT_MANAGER = { email: 'gestionnaire.comptes@sas.test', name: 'Inès Moreau' };
const DOCTOR = { email: 'medecin@sas.test', name: 'Noël Béranger' };
const DELEGATE = {
  email: 'secretariat@cabinet-beranger.test', first: 'Julie', last: 'Bernard',
  name: 'Julie Bernard', password: 'Agenda-Partage-2026!',
};
const CABINET = 'Cabinet du Dr Béranger';
const OWNER_OF_DELEGATE = `${DELEGATE.name} (${DELEGATE.email})`;
const OWNER = `${DOCTOR.name} (${DOCTOR.email})`;

export default {
  title: 'Un délégataire gère les disponibilités d\'un médecin',
  async run(person, { server }) {
    const { page } = person;
    // Saturday of next week: in the future whatever today is, and empty in the demo agenda.
    const day = addDays(mondayOf(today()), 12);
    const dayRegion = () => page.getByRole('region', { name: longDate(day) });

    // The account manager creates the délégataire and links Dr Béranger.
    await logIn(person, ACCOUNT_MANAGER);
    await person.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
    await person.follow(page.getByRole('banner').getByRole('link', { name: 'Comptes', exact: true }));
    await person.follow(page.getByRole('link', { name: 'Créer un compte' }));
    await person.fill(page.getByLabel('Adresse électronique *'), DELEGATE.email);
    await person.fill(page.getByLabel('Prénom *'), DELEGATE.first);
    await person.fill(page.getByLabel('Nom *', { exact: true }), DELEGATE.last);
    await person.select(page.getByLabel('Rôle *'), 'Délégataire');
    await person.check(page.getByLabel(OWNER));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Le compte a été créé et le mail de bienvenue envoyé.');
    await logOut(person);

    // The délégataire activates his account and finds the doctor's cabinet.
    const mail = await waitForMail(server.mailDir, { to: DELEGATE.email, subject: "Mail d'activation SAS" });
    await person.open(linkIn(mail, `${server.url}/activation/`));
    await person.fill(page.getByLabel('Votre nouveau mot de passe *'), DELEGATE.password);
    await person.check(page.getByLabel('Accepter les CGU *'));
    await person.follow(page.getByRole('button', { name: 'Valider' }));
    await expectHeading(page, `Bonjour ${DELEGATE.name}`);
    await expectHeading(page, 'Vos professionnels de santé liés', 2);
    await expectVisible(page.getByRole('region', { name: OWNER }), 'the doctor he acts for');
    await expectVisible(page.getByText("Aucun gestionnaire de structure n'est lié à votre compte."),
      'no structure manager');

    // He adds a créneau on the cabinet, with the doctor's own pages.
    await openAgenda(person, CABINET);
    await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
    await person.fillDate(page.getByLabel(/^Date \*/), day);
    await person.select(page.getByLabel('De *', { exact: true }), '10h00');
    await person.select(page.getByLabel('A *', { exact: true }), '11h00');
    await person.choose(page.getByLabel(/^Je peux recevoir un patient sur ce créneau/));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
    await expectVisible(dayRegion().getByText('10h00 - 11h00', { exact: true }), 'the new créneau');
    await logOut(person);

    // The doctor sees it, then ends the delegation.
    await logIn(person, DOCTOR);
    await expectHeading(page, "Vos lieux d'exercice", 2);
    await openAgenda(person, CABINET);
    await person.follow(page.getByRole('link', { name: 'Jours suivants' }));
    await expectVisible(dayRegion().getByText('10h00 - 11h00', { exact: true }),
      'the créneau added by the délégataire');
    await person.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
    await person.follow(page.getByRole('banner').getByRole('link', { name: 'Vos délégataires' }));
    await expectHeading(page, 'Vos délégataires');
    await expectVisible(page.getByRole('main').getByRole('listitem').filter({ hasText: OWNER_OF_DELEGATE }),
      'the délégataire who acts for him');
    await person.follow(page.getByRole('link', { name: /^Mettre fin à la délégation/ }));
    await expectHeading(page, 'Mettre fin à la délégation');
    await person.follow(page.getByRole('button', { name: 'Confirmer la fin de la délégation' }));
    await expectMessage(page, 'status', 'La délégation a pris fin');
    await expectVisible(page.getByText("Aucun délégataire n'agit pour vous.", { exact: false }),
      'no délégataire any more');
    await logOut(person);

    // The délégataire no longer finds the cabinet.
    await logIn(person, DELEGATE);
    await expectVisible(page.getByText("Aucun professionnel de santé n'est lié à votre compte."),
      'no doctor any more');
    await expectAbsent(page.getByRole('region', { name: CABINET }), 'the cabinet');
  },
};
