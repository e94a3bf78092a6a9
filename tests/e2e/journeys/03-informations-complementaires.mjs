// Guide §2.2 « Informations complémentaires »: free text for the regulators, shown on the agenda.
import assert from 'node:assert/strict';

import { expectHeading, expectMessage, expectVisible, logIn, openAgenda } from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';
const TEXT = 'Ligne dédiée SAS : 01 84 60 00 09, du lundi au samedi de 8h à 20h.\n' +
  "Demandez l'infirmière d'accueil.";

export default {
  title: '« Informations complémentaires » pour la régulation',
  async run(person) {
    const { page } = person;
    await logIn(person);
    await openAgenda(person, CENTRE);
    await person.follow(page.getByRole('link', { name: 'Informations complémentaires', exact: true }));
    await expectHeading(page, 'Informations complémentaires');
    const field = page.getByLabel(
      /^Ajout d'informations complémentaires à destination de la régulation médicale/);
    // The demo centre's text is there to be changed.
    if (!(await field.inputValue()).includes('01 84 60 00 01')) throw new Error('current text not shown');
    await person.fill(field, TEXT);
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));

    await expectHeading(page, 'Ajouter ou modifier vos disponibilités');
    await expectMessage(page, 'status', 'Vos informations complémentaires ont été enregistrées.');
    // Shown on the agenda as the regulators will read it, line breaks kept.
    await expectHeading(page, 'Informations complémentaires pour la régulation', 2);
    const shown = page.getByText(/^Ligne dédiée SAS : 01 84 60 00 09/);
    await expectVisible(shown, 'the new text');
    assert.equal(await shown.innerText(), TEXT);
  },
};
