// Guide §4: « Votre compte » → « Se déconnecter »; the session ends on the server.
import { expectHeading, expectMessage, logIn } from '../support/steps.mjs';

export default {
  title: '« Se déconnecter »',
  async run(person) {
    const { page } = person;
    await logIn(person);
    await person.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
    await person.follow(page.getByRole('button', { name: 'Se déconnecter' }));
    await expectHeading(page, 'Connectez-vous à votre compte');
    await expectMessage(page, 'status', 'Vous êtes déconnecté.');
    // The dashboard is no longer reachable: back to the login page.
    await person.open('/tableau-de-bord');
    await expectHeading(page, 'Connectez-vous à votre compte');
  },
};
