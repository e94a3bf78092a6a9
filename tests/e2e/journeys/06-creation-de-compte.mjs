// Guide §1.1 and docs/rules.md#accounts-and-passwords: an account manager creates a structure
// manager's account; the welcome email's link leads the new user to « Vos identifiants de
// connexion », where « Valider » is enabled only once the password meets the rules and the CGU
// are accepted; then the first login, with the password chosen.
import assert from 'node:assert/strict';

import { linkIn, waitForMail } from '../support/mail.mjs';
import {
  expectHeading, expectMessage, expectVisible, logIn, logOut,
} from '../support/steps.mjs';

const ACCOUNT_MANAGER = { email: 'gestionnaire.comptes@sas.test', name: 'Inès Moreau' };
const NEW_USER = { email: 'lea.petit@centre-marcadet.test', first: 'Léa', last: 'Petit' };
const PASSWORD = 'Marcadet-Soins-2026!';

export default {
  title: 'Création de compte, mail de bienvenue et première connexion',
  async run(person, { server }) {
    const { page } = person;
    await logIn(person, ACCOUNT_MANAGER);
    await person.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
    await person.follow(page.getByRole('banner').getByRole('link', { name: 'Comptes', exact: true }));
    await expectHeading(page, 'Comptes');
    await person.follow(page.getByRole('link', { name: 'Créer un compte' }));
    await person.fill(page.getByLabel('Adresse électronique *'), NEW_USER.email);
    await person.fill(page.getByLabel('Prénom *'), NEW_USER.first);
    await person.fill(page.getByLabel('Nom *', { exact: true }), NEW_USER.last);
    await person.select(page.getByLabel('Rôle *'), 'Gestionnaire de structure');
    await person.check(page.getByLabel('Centre de santé Marcadet (75)'));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));

    await expectHeading(page, 'Comptes');
    await expectMessage(page, 'status', 'Le compte a été créé et le mail de bienvenue envoyé.');
    const row = page.getByRole('row').filter({ hasText: NEW_USER.email });
    await expectVisible(row.getByText("En attente d'activation"), 'the new account, not yet active');
    await logOut(person);

    // The welcome email, read as the new user does; its link opens the activation page.
    const mail = await waitForMail(server.mailDir, { to: NEW_USER.email, subject: "Mail d'activation SAS" });
    assert.ok(mail.text.startsWith(`Bonjour ${NEW_USER.first},`), mail.text);
    await person.open(linkIn(mail, `${server.url}/activation/`));
    await expectHeading(page, 'Vos identifiants de connexion');
    await expectVisible(page.getByText(NEW_USER.email, { exact: true }), 'the account\'s address');

    // « Valider » waits for a password meeting the rules and the CGU (checked in the browser,
    // then again by the server).
    const password = page.getByLabel('Votre nouveau mot de passe *');
    const cgu = page.getByLabel('Accepter les CGU *');
    const valider = page.getByRole('button', { name: 'Valider' });
    const expectValider = async (enabled, when) =>
      assert.equal(await valider.isEnabled(), enabled, `« Valider » ${enabled ? 'enabled' : 'disabled'} ${when}`);
    await expectVisible(page.getByText('Le mot de passe doit respecter le format :'), 'the password rules');
    await expectValider(false, 'at first');
    await person.fill(password, 'marcadet-soins-2026!'); // no capital letter
    await person.check(cgu);
    await expectValider(false, 'with a password without a capital letter');
    await person.fill(password, 'Marcadet-2!'); // 11 characters
    await expectValider(false, 'with a password of 11 characters');
    // The rule not met is said while typing, in a polite live region (issue 19).
    const said = (text) => page.waitForFunction((t) =>
      document.getElementById('regles-mot-de-passe-etat')?.textContent.includes(t), text);
    await said('Règle non respectée : Au moins 12 caractères');
    // The part of the address before « @ », refused by the browser as by the server.
    await person.fill(password, 'Lea.Petit-2026!');
    await expectValider(false, 'with the address\'s part before « @ »');
    await said('Ne pas contenir la partie de votre adresse électronique');
    await person.fill(password, PASSWORD);
    await expectValider(true, 'with a good password and the CGU accepted');
    await person.uncheck(cgu);
    await expectValider(false, 'without the CGU');
    await person.check(cgu);
    await expectValider(true, 'with the CGU accepted again');
    await person.follow(valider);

    // Logged in at once: the dashboard of the new structure manager and his centre.
    await expectHeading(page, `Bonjour ${NEW_USER.first} ${NEW_USER.last}`);
    await expectVisible(page.getByRole('region', { name: 'Centre de santé Marcadet' }), 'the linked centre');
    await logOut(person);

    // First login with the password chosen.
    await logIn(person, { email: NEW_USER.email, name: `${NEW_USER.first} ${NEW_USER.last}`, password: PASSWORD });
    await expectVisible(page.getByRole('region', { name: 'Centre de santé Marcadet' }), 'the linked centre');
    // Changing it later says the rules while typing too (without holding « Enregistrer »).
    await person.open('/compte/mot-de-passe');
    await person.fill(page.getByLabel('Votre nouveau mot de passe *'), 'Court-1!');
    await said('Règle non respectée : Au moins 12 caractères');
    // The account manager now sees the account active.
    await logOut(person);
    await logIn(person, ACCOUNT_MANAGER);
    await person.open('/comptes');
    await expectVisible(page.getByRole('row').filter({ hasText: NEW_USER.email }).getByText('Actif', { exact: true }),
      'the account, active');
  },
};
