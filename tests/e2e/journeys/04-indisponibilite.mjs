// Guide §2.3 « Programmer une indisponibilité »: three periods (the third one the last that
// can be added), greyed days on the agenda, then « Dès maintenant pour une durée indéterminée ».
import { addDays, longDate, shortDate, today } from '../support/dates.mjs';
import {
  expectAbsent, expectFieldMessage, expectHeading, expectMessage, expectVisible, logIn, openAgenda,
} from '../support/steps.mjs';

const CENTRE = 'Centre de santé Michel-Ange';
const IN_FORCE = 'Une indisponibilité est en cours : vos disponibilités ne sont plus visibles des régulateurs.';

export default {
  title: '« Programmer une indisponibilité » : trois périodes, puis pour une durée indéterminée',
  async run(person) {
    const { page } = person;
    const first = today();
    const periods = [[first, addDays(first, 2)], [addDays(first, 14), addDays(first, 16)],
      [addDays(first, 30), addDays(first, 31)]];
    const period = (n) => page.getByRole('group', { name: `Période ${n}`, exact: true });
    const addPeriod = page.getByRole('button', { name: "Ajouter une autre période d'indisponibilité" });

    await logIn(person);
    await openAgenda(person, CENTRE);
    await person.follow(page.getByRole('link', { name: 'Programmer une indisponibilité' }));
    await expectHeading(page, "Période d'indisponibilité");
    for (const [i, [from, to]] of periods.entries()) {
      if (i > 0) {
        await person.follow(addPeriod);
        await expectHeading(page, "Période d'indisponibilité");
      }
      await person.fillDate(period(i + 1).getByLabel('Du', { exact: true }), from);
      await person.fillDate(period(i + 1).getByLabel('Au', { exact: true }), to);
    }
    await expectAbsent(addPeriod, 'a 4th period button');
    // A period that ends before it starts is refused, with its number in the message.
    await person.fillDate(period(2).getByLabel('Au', { exact: true }), addDays(first, 13));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
    const refusal = 'Période 2 : la date de fin doit être égale ou postérieure à la date de début.';
    await expectMessage(page, 'alert', 'Le formulaire contient des erreurs');
    await expectVisible(page.getByRole('link', { name: refusal }), 'summary link');
    await expectFieldMessage(period(2).getByLabel('Au', { exact: true }), refusal);
    await person.fillDate(period(2).getByLabel('Au', { exact: true }), periods[1][1]);
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));

    await expectHeading(page, 'Ajouter ou modifier vos disponibilités');
    await expectMessage(page, 'status', 'Votre indisponibilité a été enregistrée.');
    await expectVisible(page.getByText(IN_FORCE));
    await expectVisible(page.getByRole('region', { name: longDate(first) }).getByText('Indisponible'),
      'today greyed');
    await person.screenshot('agenda', {
      from: page.getByRole('heading', { name: 'Disponibilités', exact: true }), height: 1010 });

    await person.follow(page.getByRole('link', { name: 'Retour', exact: true }));
    const centre = page.getByRole('region', { name: CENTRE });
    await expectVisible(centre.getByText(IN_FORCE));
    for (const [from, to] of periods)
      await expectVisible(centre.getByText(`du ${shortDate(from)} au ${shortDate(to)}`));

    // The form shows the three periods; « Supprimer » takes the third away, then indefinite.
    await person.follow(centre.getByRole('link', { name: 'Éditer les disponibilités' }));
    await person.follow(page.getByRole('link', { name: 'Programmer une indisponibilité' }));
    await person.follow(period(3).getByRole('button', { name: 'Supprimer' }));
    await expectAbsent(period(3), 'period 3 after « Supprimer »');
    await expectVisible(addPeriod, '« Ajouter une autre période » again');
    await person.check(page.getByLabel('Dès maintenant pour une durée indéterminée'));
    await person.follow(page.getByRole('button', { name: 'Enregistrer' }));

    await expectMessage(page, 'status', 'Votre indisponibilité a été enregistrée.');
    await person.follow(page.getByRole('link', { name: 'Retour', exact: true }));
    await expectVisible(centre.getByText('Indisponible pour une durée indéterminée'));
    await expectAbsent(centre.getByText(`du ${shortDate(periods[2][0])}`), 'the removed period');
  },
};
