// Guide §1.1 and docs/rules.md#psc-first-login: « S'identifier avec Pro Santé Connect », the
// three cases of a first login, against the test OpenID provider (tests/oidc/provider.mjs,
// started for this journey: pscProvider). Its login page asks for an RPPS number: 899700000002,
// 899700000003 and 899700000004 are the guide's three cases (an existing account's email,
// practice places, none).
//
// The provider's login page is not ours (a bare form of the test provider), but it passes the
// same checks as our pages (axe, Nu Html Checker, keyboard focus), so nothing is left out.
// Between the cases the browser forgets every cookie, the provider's session too, as a new
// person on another computer: logging out of a Pro Santé Connect session would leave for the
// provider's end-session page, which is not what this journey is about.
import assert from 'node:assert/strict';

import { linkIn, waitForMail } from '../support/mail.mjs';
import { acceptCguIfAsked, expectAbsent, expectHeading, expectMessage, expectVisible } from '../support/steps.mjs';

const EXISTING = { email: 'gestionnaire.marcadet@sas.test', name: 'Karim Benali' };
// A doctor's own cabinet speaks for him alone (docs/rules.md#participation).
const PARTICIPATE = 'Je participe au SAS';
const CONTACT = "J'accepte d'être directement contacté par la régulation afin d'être sollicité " +
  'pour prendre des patients en sus de mes disponibilités';
const HONOUR = "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité " +
  'par semaine sur mon agenda de la plateforme numérique SAS';

/** From the login page through the provider's form, as the professional `rpps`. */
async function signInWithPsc(person, rpps) {
  const { page } = person;
  await page.context().clearCookies();
  await person.open('/connexion');
  await expectHeading(page, 'Professionnels de santé', 2);
  await person.follow(page.getByRole('link', { name: "S'identifier avec Pro Santé Connect" }));
  // The provider's page.
  await expectHeading(page, 'Connectez-vous');
  await person.fill(page.getByLabel('Votre identifiant RPPS'), rpps);
  await person.follow(page.getByRole('button', { name: 'Se connecter' }));
}

/** « Mise à jour du compte »: the names come from Pro Santé Connect, the email is typed. */
async function updateAccount(person, { first, last, email }) {
  const { page } = person;
  await expectHeading(page, 'Mise à jour du compte');
  assert.equal(await page.getByLabel(/^Prénom/).inputValue(), first);
  assert.equal(await page.getByLabel(/^Nom/).inputValue(), last);
  await person.fill(page.getByLabel(/^Adresse électronique \*/), email);
  await person.follow(page.getByRole('button', { name: 'Soumettre' }));
}

export default {
  title: 'Pro Santé Connect : les trois cas de première connexion',
  pscProvider: true,
  async run(person, { server }) {
    const { page } = person;

    // Case 1: the email of an existing account. Never linked on the email alone: a link by
    // email, valid 5 minutes, does it.
    await signInWithPsc(person, '899700000002');
    await updateAccount(person, { first: 'Paul', last: 'EXISTANT', email: EXISTING.email });
    await expectHeading(page, 'Ce compte existe déjà');
    await expectVisible(page.getByText(`L'utilisateur email : ${EXISTING.email} existe déjà.`, { exact: false }));
    await person.follow(page.getByRole('button', {
      name: 'Souhaitez-vous lier SAS-Pro Santé Connect à votre compte existant' }));
    await expectHeading(page, 'Association avec SAS-Pro Santé Connect');
    await expectMessage(page, 'status', 'Vous devez vérifier votre courriel');
    const linkMail = await waitForMail(server.mailDir, { to: EXISTING.email, subject: 'Pro Santé Connect' });
    assert.ok(linkMail.text.includes('5 minutes'), linkMail.text);
    await person.open(linkIn(linkMail, `${server.url}/psc/lien/`));
    await acceptCguIfAsked(person);  // a demo account: its first login
    await expectHeading(page, `Bonjour ${EXISTING.name}`);
    await expectVisible(page.getByRole('region', { name: 'Centre de santé Marcadet' }), 'his centre');
    // Linked: the next Pro Santé Connect login goes straight to his dashboard.
    await signInWithPsc(person, '899700000002');
    await expectHeading(page, `Bonjour ${EXISTING.name}`);

    // Case 2: a new email, practice places known: the email is verified, then the CGU, then
    // « Vos lieux d'exercice ».
    const claire = 'claire.lieux@cabinet-lieux.test';
    await signInWithPsc(person, '899700000003');
    await updateAccount(person, { first: 'Claire', last: 'LIEUX', email: claire });
    await expectHeading(page, 'Vérification du courriel');
    await expectMessage(page, 'status', 'Un courriel avec des instructions à suivre vous a été envoyé.');
    const verifyMail = await waitForMail(server.mailDir, { to: claire, subject: 'Vérification du courriel' });
    await person.open(linkIn(verifyMail, `${server.url}/psc/lien/`));
    await expectHeading(page, "Conditions générales d'utilisation");
    await person.check(page.getByRole('checkbox', { name: /CGU/ }));
    await person.follow(page.getByRole('button', { name: 'Accepter les CGU' }));
    await expectHeading(page, 'Bonjour Claire LIEUX');
    await expectHeading(page, "Vos lieux d'exercice", 2);
    for (const place of ['CABINET DU DR LIEUX', 'MAISON DE SANTE DES LILAS'])
      await expectVisible(page.getByRole('region', { name: place }), `the practice place ${place}`);
    // Each place as what it is: the MSP is an MSP, in its town; the cabinet is his.
    const lilas = page.getByRole('region', { name: 'MAISON DE SANTE DES LILAS' });
    await expectVisible(lilas.getByText('Maison de santé pluriprofessionnelle · ne participe pas au SAS'));
    await expectVisible(lilas.getByText('93260 Les Lilas'));
    const cabinet = page.getByRole('region', { name: 'CABINET DU DR LIEUX' });
    await person.follow(cabinet.getByRole('link', { name: 'Éditer les paramètres' }));
    await expectHeading(page, 'Vos paramètres');
    await expectAbsent(page.getByText('en tant que Centre de Santé'), 'the centre wording');
    await expectAbsent(page.getByLabel(/Nombre de professionnel/), 'a number of professionals');
    await person.check(page.getByLabel(PARTICIPATE, { exact: true }));
    await person.check(page.getByLabel(CONTACT));
    await person.check(page.getByLabel(HONOUR));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Vos paramètres ont été enregistrés.');
    await expectVisible(cabinet.getByText('Cabinet · participe au SAS'));
    await expectAbsent(cabinet.getByText('professionnel(s) de santé'), 'a count for a cabinet');

    // « Se déconnecter » ends the Pro Santé Connect session too: the form's POST is redirected
    // to the provider's end-session endpoint (the CSP's form-action allows exactly its origin),
    // so that the next « S'identifier avec Pro Santé Connect » asks who you are again.
    await person.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
    await person.follow(page.getByRole('button', { name: 'Se déconnecter' }));
    await expectHeading(page, 'Déconnexion de Pro Santé Connect');
    await person.follow(page.getByRole('button', { name: 'Se déconnecter de Pro Santé Connect' }));
    await expectHeading(page, 'Connectez-vous à votre compte');
    await person.follow(page.getByRole('link', { name: "S'identifier avec Pro Santé Connect" }));
    await expectHeading(page, 'Connectez-vous');

    // Case 3: a new email, no practice place: no habilitations, nobody logged in.
    await signInWithPsc(person, '899700000004');
    await updateAccount(person, { first: 'Jean', last: 'SANSLIEU', email: 'jean.sanslieu@test.fr' });
    await expectHeading(page, "Vous ne disposez pas d'habilitations sur la plateforme");
    await expectVisible(page.getByRole('link', { name: 'Consulter la FAQ' }));
    await person.open('/tableau-de-bord');
    await expectHeading(page, 'Connectez-vous à votre compte');
  },
};
