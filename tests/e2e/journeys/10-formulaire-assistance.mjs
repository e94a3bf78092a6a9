// Guide « En cas de difficulté » and docs/rules.md#help: the « Formulaire d'assistance », sent
// without an account with one screenshot attached; the reference number shown, the
// acknowledgement to the sender and the request (with its file) to the territory's support
// address.
import assert from 'node:assert/strict';
import path from 'node:path';

import { waitForMail } from '../support/mail.mjs';
import { repoRoot } from '../support/server.mjs';
import { expectHeading, expectVisible } from '../support/steps.mjs';

const SUPPORT_IDF = 'support-idf@sas.test';
const SENDER = { first: 'Nadia', last: 'Roussel', email: 'nadia.roussel@cabinet-lilas.test' };
const PDF = path.join(repoRoot, 'tests', 'support', 'files', 'capture.pdf');
const MESSAGE = "Je ne vois pas les disponibilités de samedi dans l'agenda du centre.\n" +
  "Page concernée : /lieux/1/agenda. Capture d'écran jointe.";

export default {
  title: "« Formulaire d'assistance » avec une pièce jointe",
  // Territory 1 (ARS Île-de-France, the demo's first) has its own support address.
  serverConfig: { 'support.address_by_territory.1': SUPPORT_IDF },
  async run(person, { server }) {
    const { page } = person;
    await person.open('/');
    await person.follow(page.getByRole('banner').getByRole('link', { name: 'FAQ et support (aide)' }));
    await expectHeading(page, 'FAQ et support');
    await person.follow(page.getByRole('link', { name: "Formulaire d'assistance" }));
    await expectHeading(page, "Formulaire d'assistance");

    await person.select(page.getByLabel('Vous êtes *'), 'Effecteur de soins');
    await person.select(page.getByLabel('Votre demande concerne *'), 'Les disponibilités ou les indisponibilités');
    await person.fill(page.getByLabel('Nom *', { exact: true }), SENDER.last);
    await person.fill(page.getByLabel('Prénom *'), SENDER.first);
    await person.fill(page.getByLabel(/^Téléphone/), '01 43 00 00 02');
    await person.fill(page.getByLabel(/^Adresse E-Mail \*/), SENDER.email);
    await person.select(page.getByLabel('Territoire'), 'ARS Île-de-France');
    await person.fill(page.getByLabel('Message *'), MESSAGE);
    await person.attach(page.getByLabel(/^Pièce\(s\) jointe\(s\)/), PDF);
    await person.follow(page.getByRole('button', { name: 'Envoyer' }));

    await expectHeading(page, 'Votre demande a été envoyée');
    const title = page.getByRole('heading', { name: /^Demande n° / });
    await expectVisible(title, 'the reference number');
    const reference = (await title.innerText()).replace(/^Demande n°\s*/, '').trim();
    assert.match(reference, /^SAS-\d{8}-[A-Z0-9]{6}$/);

    // The acknowledgement to the sender, the request with the file to the territory's address.
    const ack = await waitForMail(server.mailDir, { to: SENDER.email, subject: reference });
    assert.ok(ack.text.includes(reference), ack.text);
    const request = await waitForMail(server.mailDir, { to: SUPPORT_IDF, subject: reference });
    assert.ok(request.subject.includes('Les disponibilités ou les indisponibilités'), request.subject);
    for (const what of [SENDER.email, SENDER.last, 'ARS Île-de-France', 'Je ne vois pas les disponibilités de samedi'])
      assert.ok(request.text.includes(what), `« ${what} » in the request:\n${request.text}`);
    assert.deepEqual(request.attachments.map((a) => [a.name, a.type]), [['capture.pdf', 'application/pdf']]);
  },
};
