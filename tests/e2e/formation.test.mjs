// Pictures of the « Espace de formation » guides (content/formation/): for each role of the
// platform, a person logs in on the demo data and walks through the pages its guide describes,
// and the pages are photographed, 1200 pixels wide, into tests/e2e/out/formation/ (or
// $SAS_E2E_FORMATION_DIR). scripts/training-screenshots runs this file in a folder of its own and
// copies the pictures to content/formation/img/.
//
//   SAS_E2E_BUILD_DIR=build node --test tests/e2e/formation.test.mjs
//
// Each role runs on a server and database of its own, with the test Pro Santé Connect switched
// on (the login page then looks as in production). The pages' checks (axe-core, Nu Html
// Checker) are the suite's business (suite.test.mjs); here a walk fails only on a script or
// console error, a failed request or an answer ≥ 400, and on an expected page that is not there.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchBrowser, newContext } from './support/browser.mjs';
import { htmlErrorsOf, outDir, PageChecks } from './support/checks.mjs';
import { addDays, mondayOf, today, weekdayName } from './support/dates.mjs';
import { linkIn, waitForMail } from './support/mail.mjs';
import { MODES, Person } from './support/person.mjs';
import { startPscProvider } from './support/psc.mjs';
import { removeDemoDatabase, startServer } from './support/server.mjs';
import {
  acceptCguIfAsked, DEMO_PASSWORD, expectHeading, expectMessage, openAgenda,
} from './support/steps.mjs';

/** Where the pictures go: SAS_E2E_FORMATION_DIR (scripts/training-screenshots), else out/formation/. */
export const pictureDir = path.resolve(process.env.SAS_E2E_FORMATION_DIR || path.join(outDir, 'formation'));
const WIDTH = 1200;
const HEIGHT = 800;
const MAX_HEIGHT = 820;
const WALK_TIMEOUT_MS = 180_000;
const CENTRE = 'Centre de santé Michel-Ange';

/** Checks of the suite less what belongs to it alone: no HTML saved, no axe run. */
class WalkChecks extends PageChecks {
  async pageLoaded() {
    this.pagesChecked++;
    this.documents.splice(0);
  }
}

let browser;
let psc;

before(async () => {
  await rm(pictureDir, { recursive: true, force: true });
  await mkdir(pictureDir, { recursive: true });
  browser = await launchBrowser();
  psc = await startPscProvider();
});

after(async () => {
  await browser?.close();
  await psc?.stop();
  await removeDemoDatabase();
});

/**
 * One walk: a server with the demo data, a browser window 1200 px wide, and `shoot` to take a
 * picture of the window (no locator) or of an element with a margin around it.
 */
async function walk(t, run) {
  const slug = t.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]+/g, '-').toLowerCase();
  const server = await startServer({ env: psc.env, config: psc.config });
  const windows = [];
  const problems = [];
  const open = async () => {
    const context = await newContext(browser, { baseURL: server.url, javaScript: true });
    const page = await context.newPage();
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    const checks = new WalkChecks('formation', MODES.souris);
    checks.watch(page);
    windows.push({ context, page, checks });
    return new Person(page, MODES.souris, checks);
  };
  let taken = 0;
  /**
   * The window (no locator), or the element with a margin around it; with `to`, from the top of
   * the element to the bottom of `to`. At most MAX_HEIGHT pixels high, so that a picture keeps
   * the page's full width in an A4 guide.
   */
  const shoot = async (page, name, locator, { margin = 16, to } = {}) => {
    await page.evaluate(() => document.fonts.ready);
    await page.mouse.move(WIDTH - 1, HEIGHT - 1); // no hover effect where the last click was
    await page.evaluate(() => document.activeElement?.blur?.());
    const file = path.join(pictureDir, `${name}.png`);
    if (!locator) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file });
    } else {
      const boxOf = (l) => l.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
      });
      await locator.waitFor();
      const box = await boxOf(locator);
      if (to) {
        const end = await boxOf(to);
        box.height = end.y + end.height - box.y;
        box.width = Math.max(box.width, end.x + end.width - box.x);
      }
      const x = Math.max(0, box.x - margin);
      const y = Math.max(0, box.y - margin);
      const width = Math.min(WIDTH - x, box.width + 2 * margin);
      const height = Math.min(MAX_HEIGHT, box.height + 2 * margin);
      await page.screenshot({ path: file, fullPage: true, clip: { x, y, width, height } });
    }
    taken++;
  };
  try {
    await run({ open, shoot, server });
  } catch (error) {
    for (const [i, w] of windows.entries())
      await w.page.screenshot({ path: path.join(pictureDir, `echec-${slug}${i}.png`) }).catch(() => {});
    error.message += `\n    server output (end):\n${server.output().split('\n').slice(-15).join('\n')}`;
    throw error;
  } finally {
    for (const w of windows) {
      // A picture's page left before its favicon came is no fault of the page.
      problems.push(...w.checks.problems.filter((p) => !p.endsWith('failed: net::ERR_ABORTED')));
      await w.context.close();
    }
    await server.stop();
  }
  t.diagnostic(`${taken} pictures in ${path.relative(process.cwd(), pictureDir)}`);
  if (problems.length) assert.fail(`${problems.length} problem(s) on the pages:\n${problems.join('\n')}`);
}

/** « Se connecter » from the home page with an email and the demo password. */
async function signIn(person, email, heading) {
  const { page } = person;
  await person.open('/');
  await person.follow(page.getByRole('main').getByRole('link', { name: 'Se connecter' }));
  await expectHeading(page, 'Connectez-vous à votre compte');
  await person.fill(page.getByLabel('Adresse électronique'), email);
  await person.fill(page.getByLabel('Mot de passe', { exact: true }), DEMO_PASSWORD);
  await person.follow(page.getByRole('button', { name: 'Connexion' }));
  await acceptCguIfAsked(person); // the demo accounts' first login: the CGU pop-in first
  await expectHeading(page, heading);
}

async function openAccountMenu(person) {
  await person.press(person.page.getByRole('banner').getByText('Votre compte', { exact: true }));
}

/** The agenda's week navigation, and an hour of its grid (the top of its row). */
const weekNav = (page) => page.getByRole('navigation', { name: 'Semaines' });
const hour = (page, text) =>
  page.getByRole('region', { name: /^Agenda de la semaine/ }).getByText(text, { exact: true });

/** The open « Votre compte » menu. */
const accountMenu = (page) => page.locator('.sas-account__menu');

/** « Formulaire d'assistance » filled in (not sent): the same for every role. */
async function fillAssistance(person, { kind, subject, message }) {
  const { page } = person;
  await person.follow(page.getByRole('link', { name: 'FAQ et support (aide)' }));
  await expectHeading(page, 'FAQ et support');
  await person.follow(page.getByRole('main').getByRole('link', { name: /Formulaire d'assistance/ }));
  await expectHeading(page, "Formulaire d'assistance");
  await person.select(page.getByLabel('Vous êtes *'), kind);
  await person.select(page.getByLabel('Votre demande concerne *'), subject);
  await person.fill(page.getByLabel('Message *'), message);
}

// ---------------------------------------------------------------- gestionnaire de structure

test('Gestionnaire de structure', { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot }) => {
  const person = await open();
  const { page } = person;

  // Se connecter
  await person.open('/');
  await person.follow(page.getByRole('main').getByRole('link', { name: 'Se connecter' }));
  await person.fill(page.getByLabel('Adresse électronique'), 'gestionnaire.structure@sas.test');
  await person.fill(page.getByLabel('Mot de passe', { exact: true }), DEMO_PASSWORD);
  await shoot(page, 'connexion', page.locator('#pro-sante-connect'), { to: page.getByRole('main').locator('form') });
  await person.follow(page.getByRole('button', { name: 'Connexion' }));
  await acceptCguIfAsked(person);
  await expectHeading(page, 'Bonjour Camille Martin');

  // Le tableau de bord
  await shoot(page, 'gs-structure', page.getByRole('region', { name: CENTRE }));

  // Vos paramètres
  await person.follow(page.getByRole('region', { name: CENTRE }).getByRole('link', { name: 'Éditer les paramètres' }));
  await expectHeading(page, 'Vos paramètres');
  await shoot(page, 'gs-parametres', page.getByRole('main'));
  await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
  await expectMessage(page, 'status', 'Vos paramètres ont été enregistrés.');

  // L'agenda, Créer des disponibilités
  await openAgenda(person, CENTRE);
  await shoot(page, 'gs-agenda-haut', page.getByRole('heading', { level: 1 }), { to: weekNav(page) });
  await shoot(page, 'gs-agenda', weekNav(page), { to: hour(page, '17h00') });
  await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
  await expectHeading(page, 'Ajouter ou modifier des disponibilités');
  const saturday = addDays(mondayOf(today()), 12); // next week's Saturday: empty in the demo
  await person.fillDate(page.getByLabel(/^Date \*/), saturday);
  await person.select(page.getByLabel('De *', { exact: true }), '09h00');
  await person.select(page.getByLabel('A *', { exact: true }), '12h00');
  await person.choose(page.getByLabel('Je peux recevoir N patients sur cette plage horaire'));
  await person.fill(page.getByLabel('Nombre de patients (N) sur la plage'), '4');
  await person.check(page.getByLabel('Téléconsultation'));
  await person.check(page.getByLabel(`Chaque ${weekdayName(saturday)}`));
  await shoot(page, 'gs-creer-disponibilites', page.getByRole('main').locator('form'));
  await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
  await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
  await shoot(page, 'gs-agenda-semaine-suivante', weekNav(page), { to: hour(page, '13h00') });

  // Modifier, supprimer (the first occurrence shown, a weekly one)
  await person.follow(page.getByRole('link', { name: /^Modifier la disponibilité du / }).first());
  await expectHeading(page, 'Ajouter ou modifier des disponibilités');
  await shoot(page, 'gs-modifier-portee', page.getByRole('group', { name: /^Appliquer cette modification/ }));
  await person.follow(page.getByRole('link', { name: 'Annuler' }));
  await person.follow(page.getByRole('link', { name: /^Supprimer la disponibilité du / }).first());
  await expectHeading(page, 'Supprimer une disponibilité');
  await shoot(page, 'gs-supprimer', page.getByRole('main'));
  await person.follow(page.getByRole('link', { name: 'Annuler' }));

  // Programmer une indisponibilité
  await person.follow(page.getByRole('link', { name: 'Programmer une indisponibilité' }));
  await expectHeading(page, "Période d'indisponibilité");
  const from = addDays(mondayOf(today()), 21);
  await person.fillDate(page.getByLabel('Du', { exact: true }).first(), from);
  await person.fillDate(page.getByLabel('Au', { exact: true }).first(), addDays(from, 4));
  await shoot(page, 'gs-indisponibilite', page.getByRole('main').locator('form'));
  await person.follow(page.getByRole('button', { name: 'Enregistrer' }).last());

  // Informations complémentaires
  await person.follow(page.getByRole('link', { name: 'Informations complémentaires' }));
  await expectHeading(page, 'Informations complémentaires');
  await shoot(page, 'gs-informations-complementaires', page.getByRole('main'));
  await person.follow(page.getByRole('link', { name: 'Annuler' }));

  // Le tableau de bord montre l'indisponibilité programmée
  await person.follow(page.getByRole('link', { name: 'Retour', exact: true }));
  await expectHeading(page, 'Bonjour Camille Martin');
  await shoot(page, 'gs-structure-indisponibilite', page.getByRole('region', { name: CENTRE }));

  // Vos identifiants de connexion, Se déconnecter
  await openAccountMenu(person);
  await shoot(page, 'gs-menu-compte', accountMenu(page));
  await person.follow(page.getByRole('link', { name: 'Vos identifiants de connexion' }));
  await expectHeading(page, 'Vos identifiants de connexion');
  await shoot(page, 'vos-identifiants', page.getByRole('main'));

  // En cas de difficulté
  await person.follow(page.getByRole('link', { name: 'FAQ et support (aide)' }));
  await expectHeading(page, 'FAQ et support');
  await shoot(page, 'faq');
  await fillAssistance(person, {
    kind: 'Gestionnaire de structure', subject: 'Les disponibilités ou les indisponibilités',
    message: "Je ne vois pas le samedi dans l'agenda de la semaine prochaine.",
  });
  await shoot(page, 'assistance', page.getByRole('main').locator('form'), { to: page.getByLabel('Message *') });

  await openAccountMenu(person);
  await person.follow(page.getByRole('button', { name: 'Se déconnecter' }));
  await expectMessage(page, 'status', 'Vous êtes déconnecté.');

  // Mot de passe oublié ?
  await person.follow(page.getByRole('link', { name: 'Mot de passe oublié ?' }));
  await person.fill(page.getByLabel(/^Adresse électronique/), 'gestionnaire.structure@sas.test');
  await shoot(page, 'mot-de-passe-oublie', page.getByRole('main'));
}));

// ---------------------------------------------------------------- effecteur de soins (PSC)

/** « S'identifier avec Pro Santé Connect », then the test provider's login with an RPPS. */
async function signInWithPsc(person, rpps) {
  const { page } = person;
  await person.open('/connexion');
  await person.follow(page.getByRole('link', { name: "S'identifier avec Pro Santé Connect" }));
  // The test provider's page stands in for Pro Santé Connect's (e-CPS, CPS card): not shown.
  await page.getByLabel('Votre identifiant RPPS').fill(rpps);
  await person.follow(page.getByRole('button', { name: 'Se connecter' }));
}

test('Effecteur de soins (Pro Santé Connect)', { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot, server }) => {
  const person = await open();
  const { page } = person;

  // Case 2: no account yet, practice places known: « Mise à jour du compte »…
  await person.open('/connexion');
  await shoot(page, 'es-connexion-psc', page.locator('#pro-sante-connect'));
  await signInWithPsc(person, '899700000003');
  await expectHeading(page, 'Mise à jour du compte');
  await person.fill(page.getByLabel(/^Adresse électronique/), 'claire.lieux@cabinet.test');
  await shoot(page, 'es-mise-a-jour-du-compte', page.getByRole('main'));
  await person.follow(page.getByRole('button', { name: 'Soumettre' }));
  await expectHeading(page, 'Vérification du courriel');
  await shoot(page, 'es-verification-du-courriel', page.getByRole('main'));
  const mail = await waitForMail(server.mailDir, {
    to: 'claire.lieux@cabinet.test', subject: 'Vérification du courriel' });
  await person.open(linkIn(mail, `${server.url}/psc/lien/`));
  await expectHeading(page, "Conditions générales d'utilisation");
  await shoot(page, 'es-cgu', page.getByRole('main'));
  await person.check(page.getByRole('checkbox', { name: /CGU/ }));
  await person.follow(page.getByRole('button', { name: 'Accepter les CGU' }));

  // « Vos lieux d'exercice »
  await expectHeading(page, "Vos lieux d'exercice", 2);
  const place = page.getByRole('region').filter({ has: page.getByRole('link', { name: 'Éditer les disponibilités' }) }).first();
  await shoot(page, 'es-lieu', place);
  await person.follow(place.getByRole('link', { name: 'Éditer les paramètres' }));
  await expectHeading(page, 'Vos paramètres');
  await person.follow(page.getByRole('link', { name: 'Annuler' }));
  await person.follow(place.getByRole('link', { name: 'Éditer les disponibilités' }));
  await expectHeading(page, 'Ajouter ou modifier vos disponibilités');
  await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
  const tomorrow = addDays(today(), 1);
  await person.fillDate(page.getByLabel(/^Date \*/), tomorrow);
  await person.select(page.getByLabel('De *', { exact: true }), '08h00');
  await person.select(page.getByLabel('A *', { exact: true }), '08h15');
  await person.choose(page.getByLabel('Je peux recevoir un patient sur ce créneau de disponibilité'));
  await shoot(page, 'es-creer-creneau', page.getByRole('main').locator('form'));
  await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
  await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
  await shoot(page, 'es-agenda', weekNav(page), { to: hour(page, '10h00') });

  // Case 1: an account exists with the email typed: « Ce compte existe déjà ».
  const other = await open();
  await signInWithPsc(other, '899700000002');
  await expectHeading(other.page, 'Mise à jour du compte');
  await other.fill(other.page.getByLabel(/^Adresse électronique/), 'gestionnaire.marcadet@sas.test');
  await other.follow(other.page.getByRole('button', { name: 'Soumettre' }));
  await expectHeading(other.page, 'Ce compte existe déjà');
  await shoot(other.page, 'es-compte-existe', other.page.getByRole('main'));

  // Case 3: no account, no practice place: no rights on the platform.
  const third = await open();
  await signInWithPsc(third, '899700000004');
  await third.fill(third.page.getByLabel(/^Adresse électronique/), 'jean.sanslieu@cabinet.test');
  await third.follow(third.page.getByRole('button', { name: 'Soumettre' }));
  await expectHeading(third.page, "Vous ne disposez pas d'habilitations sur la plateforme");
  await shoot(third.page, 'es-sans-habilitation', third.page.getByRole('main'));
}));

// ---------------------------------------------------------------- gestionnaire de comptes

test('Gestionnaire de comptes', { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot, server }) => {
  const person = await open();
  const { page } = person;
  await signIn(person, 'gestionnaire.comptes@sas.test', 'Bonjour Inès Moreau');
  await openAccountMenu(person);
  await shoot(page, 'gc-menu-compte', accountMenu(page));
  await person.follow(page.getByRole('link', { name: 'Comptes', exact: true }));
  await expectHeading(page, 'Comptes');
  await shoot(page, 'gc-comptes', page.getByRole('main'));

  // Créer un compte
  await person.follow(page.getByRole('link', { name: 'Créer un compte' }));
  await expectHeading(page, 'Créer un compte');
  await person.fill(page.getByLabel(/^Adresse électronique/), 'nadia.roux@centre-marcadet.test');
  await person.fill(page.getByLabel('Prénom *'), 'Nadia');
  await person.fill(page.getByLabel('Nom *', { exact: true }), 'Roux');
  await person.select(page.getByLabel('Rôle *'), 'Gestionnaire de structure');
  await person.check(page.getByLabel(/^Centre de santé Marcadet/));
  await shoot(page, 'gc-creer-compte', page.getByRole('main').locator('form'));
  await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
  await expectMessage(page, 'status', 'Le compte a été créé et le mail de bienvenue envoyé.');
  await shoot(page, 'gc-compte-cree', page.getByRole('main'));

  // Modifier un compte (désactiver)
  await person.follow(page.getByRole('link', { name: 'Modifier le compte de Roux Nadia' }));
  await expectHeading(page, 'Modifier un compte');
  await shoot(page, 'gc-modifier-compte', page.getByRole('main').locator('form'));
  await person.follow(page.getByRole('link', { name: 'Annuler' }));

  // What the new user gets: the welcome email's link, « Vos identifiants de connexion ».
  const mail = await waitForMail(server.mailDir, {
    to: 'nadia.roux@centre-marcadet.test', subject: "Mail d'activation SAS" });
  const newcomer = await open();
  await newcomer.open(linkIn(mail, server.url));
  await newcomer.fill(newcomer.page.getByLabel(/^Votre nouveau mot de passe/), 'Nouveau-Compte-2026!');
  await newcomer.check(newcomer.page.getByLabel(/^Accepter les CGU/));
  await shoot(newcomer.page, 'activation', newcomer.page.getByRole('main'));
}));

// ---------------------------------------------------------------- régulateur / OSNP

test('Régulateur / OSNP', { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot }) => {
  const person = await open();
  const { page } = person;
  await signIn(person, 'regulateur@sas.test', 'Rechercher une disponibilité');
  await shoot(page, 'reg-recherche', page.getByRole('search'));

  // An address: results by distance.
  await person.fill(page.getByLabel(/^Renseigner une adresse/), '75 rue Michel-Ange 75016 Paris');
  await person.fill(page.getByLabel(/^Rayon/), '10');
  await person.follow(page.getByRole('button', { name: 'Rechercher' }));
  const results = page.getByRole('region', { name: /résultat/ });
  await results.waitFor();
  await shoot(page, 'reg-resultats', results);

  // The place's sheet
  await person.follow(results.getByRole('heading', { level: 3 }).getByRole('link').first());
  await shoot(page, 'reg-fiche', page.getByRole('main'));
  await person.follow(page.getByRole('link', { name: 'Retour aux résultats' }));

  // A town shared by several départements: choose one.
  await person.fill(page.getByLabel(/^Renseigner une adresse/), 'Saint-Denis');
  await person.follow(page.getByRole('button', { name: 'Rechercher' }));
  const choices = page.getByRole('region', { name: /Plusieurs lieux correspondent/ });
  await choices.waitFor();
  await shoot(page, 'reg-choix-lieu', choices);

  // « Créneaux en sus des disponibilités »
  await person.fill(page.getByLabel(/^Renseigner une adresse/), '75');
  await person.fill(page.getByLabel(/^Rayon/), '');
  await person.check(page.getByLabel(/^Créneaux en sus des disponibilités/));
  await person.follow(page.getByRole('button', { name: 'Rechercher' }));
  await shoot(page, 'reg-en-sus', page.getByRole('region', { name: /résultat/ }));
}));

// ---------------------------------------------------------------- administrateur

test('Administrateur', { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot }) => {
  // A request for the list first, sent by someone who cannot log in.
  const visitor = await open();
  await visitor.open('/');
  await fillAssistance(visitor, {
    kind: 'Régulateur / OSNP', subject: 'La connexion ou le mot de passe',
    message: "Je n'ai pas reçu le mail de bienvenue de mon compte.",
  });
  await visitor.fill(visitor.page.getByLabel('Nom *', { exact: true }), 'Garnier');
  await visitor.fill(visitor.page.getByLabel('Prénom *'), 'Lucie');
  await visitor.fill(visitor.page.getByLabel(/^Adresse E-Mail/), 'lucie.garnier@samu.test');
  await visitor.select(visitor.page.getByLabel('Territoire'), 'ARS Île-de-France');
  await visitor.follow(visitor.page.getByRole('button', { name: 'Envoyer' }));
  await expectHeading(visitor.page, 'Votre demande a été envoyée');
  await shoot(visitor.page, 'assistance-envoyee', visitor.page.getByRole('main'));

  const person = await open();
  const { page } = person;
  await signIn(person, 'administrateur@sas.test', 'Bonjour Paul Lefèvre');
  await openAccountMenu(person);
  await shoot(page, 'admin-menu-compte', accountMenu(page));
  await person.follow(page.getByRole('link', { name: 'Comptes', exact: true }));
  await shoot(page, 'admin-comptes', page.getByRole('main'));
  await person.follow(page.getByRole('link', { name: 'Créer un compte' }));
  await person.select(page.getByLabel('Rôle *'), 'Gestionnaire de comptes');
  await person.select(page.getByLabel('Territoire'), 'ARS Auvergne-Rhône-Alpes');
  await shoot(page, 'admin-creer-compte', page.getByLabel('Rôle *').locator('..'), { to: page.getByRole('main').locator('form') });
  await person.follow(page.getByRole('link', { name: 'Annuler' }));
  await person.follow(page.getByRole('link', { name: 'Territoires' }));
  await expectHeading(page, 'Territoires');
  await shoot(page, 'admin-territoires', page.getByRole('main'));

  await openAccountMenu(person);
  await person.follow(page.getByRole('link', { name: "Demandes d'assistance" }));
  await expectHeading(page, "Demandes d'assistance");
  await shoot(page, 'admin-demandes', page.getByRole('main'));
}));

// ---------------------------------------------------------------- IOA

/**
 * « Créer un compte » by the demo account manager, then the new user's welcome email: the
 * password chosen and the CGU accepted on the activation page. Ends logged in, on his landing
 * page (`heading`).
 */
async function createAccount(open, server, { email, first, last, role, principals = [] }, heading) {
  const manager = await open();
  const { page } = manager;
  await signIn(manager, 'gestionnaire.comptes@sas.test', 'Bonjour Inès Moreau');
  await openAccountMenu(manager);
  await manager.follow(page.getByRole('link', { name: 'Comptes', exact: true }));
  await manager.follow(page.getByRole('link', { name: 'Créer un compte' }));
  await expectHeading(page, 'Créer un compte');
  await manager.fill(page.getByLabel(/^Adresse électronique/), email);
  await manager.fill(page.getByLabel('Prénom *'), first);
  await manager.fill(page.getByLabel('Nom *', { exact: true }), last);
  await manager.select(page.getByLabel('Rôle *'), role);
  for (const label of principals) await manager.check(page.getByLabel(label));
  const form = { manager, page };
  const save = async () => {
    await manager.follow(page.getByRole('button', { name: 'Enregistrer' }));
    await expectMessage(page, 'status', 'Le compte a été créé et le mail de bienvenue envoyé.');
    const mail = await waitForMail(server.mailDir, { to: email, subject: "Mail d'activation SAS" });
    const person = await open();
    await person.open(linkIn(mail, `${server.url}/activation/`));
    await person.fill(person.page.getByLabel('Votre nouveau mot de passe *'), 'Premier-Acces-2026!');
    await person.check(person.page.getByLabel('Accepter les CGU *'));
    await person.follow(person.page.getByRole('button', { name: 'Valider' }));
    await expectHeading(person.page, heading);
    return person;
  };
  return { ...form, save };
}

test("Infirmier d'Orientation et d'Accueil (IOA)", { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot, server }) => {
  // A plage of 2 patients tomorrow evening at the demo centre: something to orient to, whatever
  // the day of the walk.
  const manager = await open();
  await signIn(manager, 'gestionnaire.structure@sas.test', 'Bonjour Camille Martin');
  await openAgenda(manager, CENTRE);
  await manager.follow(manager.page.getByRole('link', { name: 'Créer des disponibilités' }));
  await manager.fillDate(manager.page.getByLabel(/^Date \*/), addDays(today(), 1));
  await manager.select(manager.page.getByLabel('De *', { exact: true }), '19h00');
  await manager.select(manager.page.getByLabel('A *', { exact: true }), '20h00');
  await manager.choose(manager.page.getByLabel('Je peux recevoir N patients sur cette plage horaire'));
  await manager.fill(manager.page.getByLabel('Nombre de patients (N) sur la plage'), '2');
  await manager.follow(manager.page.getByRole('button', { name: 'Enregistrer' }));
  await expectMessage(manager.page, 'status', 'Vos disponibilités ont été enregistrées.');

  // The account manager creates the IOA's account; the IOA activates it.
  const { save } = await createAccount(open, server, {
    email: 'lucas.petit@chu-paris.test', first: 'Lucas', last: 'Petit',
    role: "Infirmier d'Orientation et d'Accueil",
  }, 'Rechercher une disponibilité');
  const person = await save();
  const { page } = person;

  // The search, then « Adresser un patient » on tomorrow's plage.
  await person.fill(page.getByLabel(/^Renseigner une adresse/), 'Paris');
  await person.fill(page.getByLabel(/^Rayon \(km\)/), '10');
  await person.follow(page.getByRole('button', { name: 'Rechercher' }));
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: CENTRE, level: 3 }) });
  await card.waitFor();
  await shoot(page, 'ioa-resultat', card);
  const plage = card.getByRole('listitem').filter({ hasText: '19h00 - 20h00' }).filter({ hasText: 'Plage · 2 patients' });
  await person.follow(plage.getByRole('link', { name: /^Adresser un patient/ }));
  await expectHeading(page, 'Adresser un patient');
  await person.fill(page.getByLabel(/^Référence du dossier de régulation \(facultatif\)/), 'SAMU75-0042');
  await shoot(page, 'ioa-enregistrement');
  await person.follow(page.getByRole('button', { name: 'Continuer' }));
  await page.getByRole('button', { name: 'Confirmer' }).waitFor();
  await shoot(page, 'ioa-confirmation');
  await person.follow(page.getByRole('button', { name: 'Confirmer' }));
  await page.getByRole('button', { name: "Annuler l'orientation" }).waitFor();
  await shoot(page, 'ioa-notification');
  await person.follow(page.getByRole('link', { name: 'Fermer' }));

  // « Mes orientations », then the orientation's page and its cancellation.
  await openAccountMenu(person);
  await person.follow(page.getByRole('banner').getByRole('link', { name: 'Mes orientations' }));
  await expectHeading(page, 'Mes orientations');
  await shoot(page, 'ioa-mes-orientations', page.getByRole('main'));
  await person.follow(page.getByRole('row').filter({ hasText: 'SAMU75-0042' }).getByRole('link', { name: /^Voir ou annuler/ }));
  await person.follow(page.getByRole('button', { name: "Annuler l'orientation" }));
  await expectMessage(page, 'status', "L'orientation a été annulée.");
  await shoot(page, 'ioa-annulee', page.getByRole('main'));
}));

// ---------------------------------------------------------------- délégataire

test('Délégataire', { timeout: WALK_TIMEOUT_MS }, (t) => walk(t, async ({ open, shoot, server }) => {
  const DOCTOR = 'Noël Béranger (medecin@sas.test)';
  const CABINET = 'Cabinet du Dr Béranger';

  // The account manager creates the délégataire of Dr Béranger and of Camille Martin.
  const { page: form, save } = await createAccount(open, server, {
    email: 'secretariat@cabinet-beranger.test', first: 'Julie', last: 'Bernard', role: 'Délégataire',
    principals: [DOCTOR, 'Camille Martin (gestionnaire.structure@sas.test)'],
  }, 'Bonjour Julie Bernard');
  await shoot(form, 'del-creer-compte', form.getByLabel('Rôle *').locator('..'), { to: form.locator('#mandants') });
  const person = await save();
  const { page } = person;

  // The délégataire's dashboard, then the doctor's agenda.
  await shoot(page, 'del-tableau-de-bord', page.getByRole('heading', { level: 1 }), { to: page.getByRole('region', { name: DOCTOR }) });
  await openAgenda(person, CABINET);
  await person.follow(page.getByRole('link', { name: 'Créer des disponibilités' }));
  const saturday = addDays(mondayOf(today()), 12); // next week's Saturday: in the future
  await person.fillDate(page.getByLabel(/^Date \*/), saturday);
  await person.select(page.getByLabel('De *', { exact: true }), '10h00');
  await person.select(page.getByLabel('A *', { exact: true }), '11h00');
  await person.choose(page.getByLabel('Je peux recevoir un patient sur ce créneau de disponibilité'));
  await person.follow(page.getByRole('button', { name: 'Enregistrer' }));
  await expectMessage(page, 'status', 'Vos disponibilités ont été enregistrées.');
  await shoot(page, 'del-agenda', weekNav(page), { to: hour(page, '12h00') });

  // The doctor sees who acts for him, and ends the delegation.
  const doctor = await open();
  await signIn(doctor, 'medecin@sas.test', 'Bonjour Noël Béranger');
  await openAccountMenu(doctor);
  await doctor.follow(doctor.page.getByRole('banner').getByRole('link', { name: 'Vos délégataires' }));
  await expectHeading(doctor.page, 'Vos délégataires');
  await shoot(doctor.page, 'del-vos-delegataires', doctor.page.getByRole('main'));
  await doctor.follow(doctor.page.getByRole('link', { name: /^Mettre fin à la délégation/ }));
  await expectHeading(doctor.page, 'Mettre fin à la délégation');
  await shoot(doctor.page, 'del-fin', doctor.page.getByRole('main'));
  await doctor.follow(doctor.page.getByRole('button', { name: 'Confirmer la fin de la délégation' }));
  await expectMessage(doctor.page, 'status', 'La délégation a pris fin');
}));

// ---------------------------------------------------------------- the guides themselves

const formationDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../content/formation');

// Last, after the walks (node:test runs a file's tests in order): each role of the manifest has
// its guide and its fiche mémo, each an HTML page the Nu Html Checker finds valid, and each
// picture they show was taken by a walk above (a guide never shows a picture nobody retakes).
test('Guides et fiches mémo : un de chaque par rôle, HTML valide, images prises par les promenades', async () => {
  const manifest = JSON.parse(await readFile(path.join(formationDir, 'manifest.json'), 'utf8'));
  const pages = [];
  for (const group of manifest.groupes) {
    for (const type of ['guide', 'fiche']) {
      const docs = group.documents.filter((d) => d.type === type);
      assert.equal(docs.length, 1, `${group.titre}: one ${type}`);
      const html = path.join(formationDir, docs[0].fichier.replace(/\.pdf$/, '.html'));
      assert.ok(existsSync(html), `${group.titre}: ${html}`);
      pages.push(html);
    }
  }
  const untaken = [];
  for (const file of pages) {
    const html = await readFile(file, 'utf8');
    assert.match(html, /<h1>[^<]+<\/h1>/, `${file}: its title`);
    for (const [, src] of html.matchAll(/<img\s[^>]*src="img\/([^"]+)"/g))
      if (!existsSync(path.join(pictureDir, src))) untaken.push(`${path.basename(file)}: ${src}`);
  }
  assert.deepEqual(untaken, [], 'pictures shown by a guide that no walk took');
  const errors = (await htmlErrorsOf(pages)).map((m) =>
    `${path.basename(decodeURIComponent(new URL(m.url).pathname))} line ${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, [], 'Nu Html Checker');
});
