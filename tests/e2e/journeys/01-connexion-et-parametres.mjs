// Guide §1.2 and §2.1: log in, the dashboard, « Éditer les paramètres » refused then saved.
import assert from 'node:assert/strict';

import {
  expectFieldMessage, expectHeading, expectMessage, expectVisible, logIn,
} from '../support/steps.mjs';

const NUMBER = 'Nombre de professionnel de santé du Centre de santé participant au SAS';
const CONTACT = "J'accepte d'être directement contacté par la régulation afin que le Centre soit " +
  'sollicité pour prendre des patients en sus de ses disponibilités';
const HONOUR = "Je déclare sur l'honneur mettre en visibilité à minima 2 heures de disponibilité " +
  'par semaine pour chaque médecin généraliste de mon centre de santé sur mon agenda de la ' +
  'plateforme numérique SAS';

export default {
  title: 'Se connecter, tableau de bord et « Éditer les paramètres »',
  modes: ['souris', 'clavier', 'telephone'],  // and on a phone: no page wider than it
  async run(person) {
    const { page } = person;
    await logIn(person);
    await expectHeading(page, 'Vos structures liées', 2);
    const lyon = page.getByRole('region', { name: 'Centre de santé Lyon Part-Dieu' });
    await expectVisible(lyon.getByText('Horaires de consultation'));
    await expectVisible(lyon.getByRole('link', { name: 'Éditer les disponibilités' }));
    await person.screenshot('tableau-de-bord');

    // Lyon participates without the regulation-contact box: participating needs all three.
    await person.follow(lyon.getByRole('link', { name: 'Éditer les paramètres' }));
    await expectHeading(page, 'Vos paramètres');
    await person.check(page.getByLabel('Je participe au SAS en tant que Centre de Santé'));
    await person.fill(page.getByLabel(NUMBER), '0');
    await person.uncheck(page.getByLabel(HONOUR));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));

    await expectMessage(page, 'alert', 'Le formulaire contient des erreurs');
    // Each message is in the summary and next to its field, which keeps what was typed.
    for (const [label, message] of [
      [NUMBER, "Le nombre de professionnels de santé participant au SAS doit être un nombre " +
        "entier d'au moins 1."],
      [CONTACT, "Pour participer au SAS, cochez « J'accepte d'être directement contacté par " +
        'la régulation ».'],
      [HONOUR, "Pour participer au SAS, cochez la déclaration sur l'honneur de mettre en " +
        'visibilité au moins 2 heures de disponibilité par semaine pour chaque médecin généraliste.'],
    ]) {
      await expectVisible(page.getByRole('link', { name: message }), `summary link « ${message} »`);
      await expectFieldMessage(page.getByLabel(label), message);
    }
    assert.equal(await page.getByLabel(NUMBER).inputValue(), '0', 'the number typed is kept');
    assert.ok(await page.getByLabel('Je participe au SAS en tant que Centre de Santé').isChecked());

    await person.fill(page.getByLabel(NUMBER), '4');
    await person.check(page.getByLabel(CONTACT));
    await person.check(page.getByLabel(HONOUR));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));

    await expectHeading(page, 'Bonjour Camille Martin');
    await expectMessage(page, 'status', 'Vos paramètres ont été enregistrés.');
    await expectVisible(page.getByRole('region', { name: 'Centre de santé Lyon Part-Dieu' })
      .getByText('participe au SAS (4 professionnel(s) de santé)'));
  },
};
