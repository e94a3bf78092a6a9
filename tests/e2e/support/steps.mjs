// Steps that many journeys share, written as a person does them, and small assertions on the
// page the person sees (pages are served whole, or their <main> swapped in by htmx: once
// there, nothing changes by itself).
import assert from 'node:assert/strict';

export const DEMO_PASSWORD = 'Demo-SAS-2026!';
export const MANAGER = { email: 'gestionnaire.structure@sas.test', name: 'Camille Martin' };

export const REGULATOR = {
  email: 'regulateur@sas.test', name: 'Sophie Durand', heading: 'Rechercher une disponibilité',
};

/**
 * From the home page, « Se connecter » then the login form: ends on the dashboard (the search
 * for a regulator).
 * @param {{email: string, name: string, password?: string, heading?: string}} account the demo
 *   password by default; `heading` of the page reached, « Bonjour name » by default
 */
export async function logIn(person, account = MANAGER) {
  await fillLogInForm(person, account.email, account.password ?? DEMO_PASSWORD);
  await acceptCguIfAsked(person);
  await expectHeading(person.page, account.heading ?? `Bonjour ${account.name}`);
}

/**
 * At an account's first login (the demo accounts too), the CGU pop-in opens over the landing
 * page: the focus in it, the page behind out of reach (inert, checked by axe with the pop-in
 * open); « Accepter les CGU » ticked and sent, the landing page comes back without it. Without
 * JavaScript the page /cgu/accepter instead, with the same form.
 */
export async function acceptCguIfAsked(person) {
  const { page } = person;
  const title = "Conditions générales d'utilisation";
  const onPage = () => new URL(page.url()).pathname === '/cgu/accepter';
  if (!person.mode.javaScript) {
    // The landing page's <noscript> refresh leads there (maybe done already).
    if (!onPage()) {
      if (await page.locator('dialog#cgu-modale').count() === 0) return;
      await page.waitForURL((url) => url.pathname === '/cgu/accepter', { waitUntil: 'load' });
      await person.checks.pageLoaded(page);
    }
    await expectHeading(page, title);
    await person.check(page.getByLabel('Accepter les CGU *'));
    await person.follow(page.getByRole('button', { name: 'Accepter les CGU' }));
    return;
  }
  // Asked: the pop-in is in the landing page's HTML (closed until DSFR opens it).
  if (await page.locator('dialog#cgu-modale').count() === 0) return;
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const open = document.querySelector('dialog[open]');
    return open && open.contains(document.activeElement) &&
      document.getElementById('contenu').closest('[inert]') !== null &&
      getComputedStyle(open).opacity === '1';
  });
  await person.checks.pageLoaded(page);
  await person.check(dialog.getByRole('checkbox', { name: 'Accepter les CGU *' }));
  await person.follow(dialog.getByRole('button', { name: 'Accepter les CGU' }));
}

/** The same with a wrong password: the login page again, with its message. */
export async function logInRefused(person, email, password) {
  await fillLogInForm(person, email, password);
  await expectHeading(person.page, 'Connectez-vous à votre compte');
  await expectMessage(person.page, 'alert', 'Adresse électronique ou mot de passe incorrect.');
}

async function fillLogInForm(person, email, password) {
  const { page } = person;
  await person.open('/');
  await person.follow(page.getByRole('main').getByRole('link', { name: 'Se connecter' }));
  await expectHeading(page, 'Connectez-vous à votre compte');
  await person.fill(page.getByLabel('Adresse électronique'), email);
  await person.fill(page.getByLabel('Mot de passe', { exact: true }), password);
  await person.follow(page.getByRole('button', { name: 'Connexion' }));
}

/** « Votre compte » → « Se déconnecter »: ends on the login page. */
export async function logOut(person) {
  const { page } = person;
  await person.press(page.getByRole('banner').getByText('Votre compte', { exact: true }));
  await person.follow(page.getByRole('button', { name: 'Se déconnecter' }));
  await expectHeading(page, 'Connectez-vous à votre compte');
}

/** From the dashboard, « Éditer les disponibilités » of a centre: ends on its agenda. */
export async function openAgenda(person, centre) {
  const { page } = person;
  await person.follow(
    page.getByRole('region', { name: centre }).getByRole('link', { name: 'Éditer les disponibilités' }));
  await expectHeading(page, 'Ajouter ou modifier vos disponibilités');
}

export async function expectHeading(page, name, level = 1) {
  const heading = page.getByRole('heading', { name, exact: true, level });
  assert.equal(await heading.count(), 1, `heading « ${name} » on ${page.url()}`);
}

/** The locator shows (exactly one element, visible). */
export async function expectVisible(locator, what = String(locator)) {
  assert.equal(await locator.count(), 1, `${what}: expected once on ${locator.page().url()}`);
  assert.ok(await locator.isVisible(), `${what} is not visible`);
}

export async function expectAbsent(locator, what = String(locator)) {
  assert.equal(await locator.count(), 0, `${what}: not expected on ${locator.page().url()}`);
}

/** A status message (role status or alert) with this text. */
export async function expectMessage(page, role, text) {
  await expectVisible(page.getByRole(role).filter({ hasText: text }), `${role} « ${text} »`);
}

/** The field (or group) is announced with this message: in its description or its name. */
export async function expectFieldMessage(locator, message) {
  const announced = await locator.evaluate((el) =>
    ['aria-describedby', 'aria-labelledby']
      .flatMap((attribute) => (el.getAttribute(attribute) ?? '').split(/\s+/))
      .map((id) => (id ? document.getElementById(id)?.textContent ?? '' : ''))
      .join(' ').replace(/\s+/g, ' '));
  assert.ok(announced.includes(message), `${locator} is not announced with « ${message} »: « ${announced} »`);
  await expectVisible(locator.page().getByText(message, { exact: true }).and(
    locator.page().locator(':not(a)')), `« ${message} » next to the field`);
}
