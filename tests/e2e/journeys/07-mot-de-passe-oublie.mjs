// Guide §1.2 « Mot de passe oublié ? »: ask for a link, open it from the email, choose a new
// password; the new one logs in, the old one no longer does.
import assert from 'node:assert/strict';

import { linkIn, waitForMail } from '../support/mail.mjs';
import {
  acceptCguIfAsked, DEMO_PASSWORD, expectHeading, expectMessage, expectVisible, logIn,
  logInRefused, MANAGER,
} from '../support/steps.mjs';

const NEW_PASSWORD = 'Michel-Ange-Rdv-75016?';

export default {
  title: '« Mot de passe oublié ? » : lien par email et nouveau mot de passe',
  async run(person, { server }) {
    const { page } = person;
    await person.open('/connexion');
    await person.follow(page.getByRole('link', { name: 'Mot de passe oublié ?' }));
    await expectHeading(page, 'Mot de passe oublié');
    await person.fill(page.getByLabel('Adresse électronique'), MANAGER.email);
    await person.follow(page.getByRole('button', { name: 'Envoyer' }));
    await expectMessage(page, 'status', 'Si un compte existe avec cette adresse, un email vient de lui être envoyé');

    // By its subject: between 08:00 and 09:00 in Paris the freshness reminder also writes to
    // this manager.
    const mail = await waitForMail(server.mailDir, {
      to: MANAGER.email, subject: 'Réinitialisation de votre mot de passe SAS' });
    assert.ok(mail.text.includes('réinitialiser votre mot de passe'), mail.text);
    await person.open(linkIn(mail, `${server.url}/reinitialisation/`));
    await expectHeading(page, 'Réinitialiser votre mot de passe');
    await expectVisible(page.getByText(MANAGER.email, { exact: true }), "the account's address");
    const valider = page.getByRole('button', { name: 'Valider' });
    assert.ok(await valider.isDisabled(), '« Valider » disabled before a password is typed');
    await person.fill(page.getByLabel('Votre nouveau mot de passe *'), NEW_PASSWORD);
    assert.ok(await valider.isEnabled(), '« Valider » enabled with a password meeting the rules');
    await person.follow(valider);
    // The demo account had not accepted the CGU: the pop-in over its dashboard, first.
    await acceptCguIfAsked(person);
    await expectHeading(page, `Bonjour ${MANAGER.name}`);

    // In another browser session: the old password is refused, the new one logs in.
    await page.context().clearCookies();
    await logInRefused(person, MANAGER.email, DEMO_PASSWORD);
    await logIn(person, { ...MANAGER, password: NEW_PASSWORD });
  },
};
