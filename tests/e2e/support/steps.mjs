// Steps that many journeys share, written as a person does them, and small assertions on the
// page the person sees (pages are served whole: once loaded, nothing changes by itself).
import assert from 'node:assert/strict';

export const DEMO_PASSWORD = 'Demo-SAS-2026!';
export const MANAGER = { email: 'gestionnaire.structure@sas.test', name: 'Camille Martin' };

/** From the home page, « Se connecter » then the login form: ends on the dashboard. */
export async function logIn(person, account = MANAGER) {
  const { page } = person;
  await person.open('/');
  await person.follow(page.getByRole('main').getByRole('link', { name: 'Se connecter' }));
  await expectHeading(page, 'Connectez-vous à votre compte');
  await person.fill(page.getByLabel('Adresse électronique'), account.email);
  await person.fill(page.getByLabel('Mot de passe', { exact: true }), DEMO_PASSWORD);
  await person.follow(page.getByRole('button', { name: 'Connexion' }));
  await expectHeading(page, `Bonjour ${account.name}`);
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
