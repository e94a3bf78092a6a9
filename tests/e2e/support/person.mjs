// A person using the platform, with the mouse or with the keyboard alone. Journeys say what the
// person does (« follow this link », « fill this field ») with locators found by role and label;
// the Person does it the way its mode says, and checks every page it lands on.
//
// With the keyboard, the Person reaches each element with Tab or Shift+Tab (whichever is
// shorter), checking after every key press that the focused element shows a visible focus
// indicator inside the window; it then types, uses Space (boxes, buttons), Enter (links) and
// the arrow keys (radio groups, lists, date fields), as a keyboard user does.
import assert from 'node:assert/strict';

/** The ways a journey can be run. */
export const MODES = {
  souris: { name: 'à la souris', keyboard: false, javaScript: true, screenshots: true },
  clavier: { name: 'au clavier seul', keyboard: true, javaScript: true, screenshots: false },
  sansJavaScript: {
    name: 'sans JavaScript', keyboard: false, javaScript: false, screenshots: false,
  },
  // A phone's window (375 × 812 CSS pixels, as an iPhone's): by touch (clicks), or with a
  // keyboard (an external one, or a screen reader's gestures that move like Tab).
  telephone: {
    name: 'sur téléphone (375 px)', keyboard: false, javaScript: true, screenshots: false,
    viewport: { width: 375, height: 812 },
  },
  telephoneClavier: {
    name: 'sur téléphone (375 px), au clavier', keyboard: true, javaScript: true,
    screenshots: false, viewport: { width: 375, height: 812 },
  },
};

const MAX_KEY_PRESSES = 250;

export class Person {
  /**
   * @param {import('playwright-core').Page} page
   * @param {{keyboard: boolean}} mode
   * @param {import('./checks.mjs').PageChecks} checks
   */
  constructor(page, mode, checks) {
    this.page = page;
    this.mode = mode;
    this.checks = checks;
    // With JavaScript, htmx may replace the page's <main> in place (the agenda), and the
    // orientation's steps show in a modal (static/js/sas.js): the page then tells the Person
    // once the new content is in place, as a load would.
    this.#ready = mode.javaScript ? Promise.all([
      page.exposeBinding('sasE2eSwapped', () => this.#onSwap?.()),
      page.addInitScript(() => {
        document.addEventListener('htmx:afterSettle', () => window.sasE2eSwapped());
        document.addEventListener('sas:modal-step', () => window.sasE2eSwapped());
      }),
    ]) : Promise.resolve();
  }

  #ready;
  #onSwap;

  get keyboard() {
    return this.mode.keyboard;
  }

  /** Opens a page by its address, as typed in the browser's address bar. */
  async open(path) {
    await this.#ready;
    await this.page.goto(path);
    await this.checks.pageLoaded(this.page);
  }

  /**
   * Follows a link, or presses a button that sends a form, and waits for the new page: a page
   * loaded, or (htmx) the new content in place of the old one.
   * @returns {Promise<'load' | 'swap'>} which of the two
   */
  async follow(locator) {
    await this.#ready;
    let stop;
    const arrived = new Promise((resolve) => {
      const load = () => resolve('load');
      this.page.once('load', load);
      this.#onSwap = () => resolve('swap');
      stop = () => {
        this.page.off('load', load);
        this.#onSwap = undefined;
      };
    });
    let how;
    try {
      await this.#activate(locator);
      how = await arrived;
    } finally {
      stop();
    }
    await this.checks.pageLoaded(this.page);
    return how;
  }

  /** Presses a control that changes the page in place (a « Votre compte » menu). */
  async press(locator) {
    await this.#ready;
    await this.#activate(locator);
    await this.checks.pageLoaded(this.page); // axe again on the page as it is now
  }

  async fill(locator, text) {
    if (!this.keyboard) return locator.fill(text);
    await this.#tabTo(locator);
    await this.page.keyboard.press('ControlOrMeta+A');
    if (text === '') await this.page.keyboard.press('Backspace');
    else await this.page.keyboard.type(text);
    assert.equal(await locator.inputValue(), text, `${locator} after typing « ${text} »`);
  }

  /** Fills a date field (jj/mm/aaaa) with an ISO date (aaaa-mm-jj). */
  async fillDate(locator, iso) {
    if (!this.keyboard) return locator.fill(iso);
    await this.#tabTo(locator);
    // Tab lands on the day; Shift+Tab on the field's calendar button, after the year.
    if (!(await locator.evaluate((input) => input.matches(':focus')))) {
      await this.page.keyboard.press('Shift+Tab');
      await this.#expectVisibleFocus();
    }
    // From the day or the year, to the day; then jjmmaaaa, each part moving on to the next.
    await this.page.keyboard.press('ArrowLeft');
    await this.page.keyboard.press('ArrowLeft');
    const [year, month, day] = iso.split('-');
    await this.page.keyboard.type(day + month + year);
    assert.equal(await locator.inputValue(), iso, `${locator} after typing ${day}/${month}/${year}`);
  }

  /** Chooses an option of a list by its visible label. */
  async select(locator, label) {
    if (!this.keyboard) {
      await locator.selectOption({ label });
      return;
    }
    await this.#tabTo(locator);
    const [current, wanted] = await locator.evaluate((select, text) => [
      select.selectedIndex,
      [...select.options].findIndex((o) => o.label.trim() === text),
    ], label);
    assert.ok(wanted >= 0, `${locator} has no option « ${label} »`);
    const key = wanted > current ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(wanted - current); i++) await this.page.keyboard.press(key);
    assert.equal(
      await locator.evaluate((select) => select.selectedOptions[0]?.label.trim()), label,
      `${locator} after the arrow keys`);
  }

  /** Chooses files for a file field: the file chooser opens as a click or Space opens it. */
  async attach(locator, files) {
    const chooser = this.page.waitForEvent('filechooser');
    try {
      if (this.keyboard) {
        await this.#tabTo(locator);
        await this.page.keyboard.press('Space');
      } else {
        await locator.click();
      }
    } catch (error) {
      chooser.catch(() => {});
      throw error;
    }
    await (await chooser).setFiles(files);
  }

  async check(locator) {
    await this.#setChecked(locator, true);
  }

  async uncheck(locator) {
    await this.#setChecked(locator, false);
  }

  /** Chooses a radio button of its group. */
  async choose(locator) {
    if (!this.keyboard) {
      if (!(await locator.isChecked())) await this.#clickLabel(locator);
      assert.ok(await locator.isChecked(), `${locator} after a click on its label`);
      return;
    }
    await this.#tabTo(locator); // lands on the group's checked (or first) button
    for (let i = 0; i < 10 && !(await locator.isChecked()); i++) {
      await this.page.keyboard.press('ArrowDown');
      await this.#expectVisibleFocus();
    }
    assert.ok(await locator.isChecked(), `${locator} not chosen with the arrow keys`);
  }

  /**
   * Saves a picture of the page in tests/e2e/out/screenshots/ (first mode only): the window,
   * or `height` pixels from the top of the `from` element.
   */
  async screenshot(name, options) {
    if (this.mode.screenshots) await this.checks.screenshot(this.page, name, options);
  }

  async #setChecked(locator, wanted) {
    if (!this.keyboard) {
      // DSFR draws the box on the label, over the input: a person clicks the label.
      if ((await locator.isChecked()) !== wanted) await this.#clickLabel(locator);
      assert.equal(await locator.isChecked(), wanted, `${locator} after a click on its label`);
      return;
    }
    await this.#tabTo(locator);
    if ((await locator.isChecked()) !== wanted) await this.page.keyboard.press('Space');
    assert.equal(await locator.isChecked(), wanted, `${locator} after Space`);
  }

  async #clickLabel(locator) {
    const label = await locator.evaluateHandle((input) => input.labels?.[0] ?? null);
    try {
      assert.ok(label.asElement(), `${locator} has no label to click`);
      await label.asElement().click();
    } finally {
      await label.dispose();
    }
  }

  async #activate(locator) {
    if (!this.keyboard) {
      await locator.click();
      return;
    }
    await this.#tabTo(locator);
    const tag = await locator.evaluate((el) => el.localName);
    // Links answer Enter; buttons and the « Votre compte » summary answer Space (and Enter).
    await this.page.keyboard.press(tag === 'a' ? 'Enter' : 'Space');
  }

  /** Moves the focus to the element with Tab or Shift+Tab only. */
  async #tabTo(locator) {
    await locator.waitFor();
    const target = await locator.elementHandle();
    try {
      for (let presses = 0; ; presses++) {
        const plan = await target.evaluate(tabPlan);
        if (plan.error) assert.fail(`${locator}: ${plan.error}`);
        if (plan.arrived) return;
        if (presses >= MAX_KEY_PRESSES)
          assert.fail(`${locator} not reached after ${MAX_KEY_PRESSES} presses of Tab`);
        await this.page.keyboard.press(plan.forward <= plan.backward ? 'Tab' : 'Shift+Tab');
        await this.#expectVisibleFocus();
      }
    } finally {
      await target.dispose();
    }
  }

  async #expectVisibleFocus() {
    const focus = await this.page.evaluate(focusIndicator);
    assert.ok(focus.ok, `focus not visible on ${this.page.url()}: ${focus.what} (${focus.why})`);
  }
}

// ------------------------------------------------------------------ run inside the page

/** Where the target is in the tab order, from the focused element: presses either way. */
function tabPlan(target) {
  const active = document.activeElement;
  const radioGroup = (el) =>
    el && el.localName === 'input' && el.type === 'radio' && el.name
      ? [...(el.form ?? document).querySelectorAll('input[type=radio]')].filter(
          (r) => r.name === el.name && r.form === el.form)
      : null;
  const group = radioGroup(target);
  if (active === target || (group && group.includes(active))) return { arrived: true };

  const rendered = (el) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const candidates = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, details > summary, [tabindex]');
  const order = [...candidates].filter((el) => {
    // Inert (the page behind an open modal): out of the tab order.
    if (el.tabIndex < 0 || el.disabled || !rendered(el) || el.closest('[inert]')) return false;
    const radios = radioGroup(el);
    if (!radios) return true;
    // Tab stops once in a radio group: on its checked button, else on its first.
    const stop = radios.find((r) => r.checked) ?? radios[0];
    return el === stop;
  });
  const stopOf = (el) => {
    const radios = radioGroup(el);
    return radios ? order.find((o) => radios.includes(o)) : el;
  };
  const to = order.indexOf(stopOf(target));
  if (to < 0) return { error: 'this element cannot be reached with Tab' };
  const from = order.indexOf(active);
  const n = order.length;
  if (from < 0) return { forward: to + 1, backward: n - to };
  return { forward: (to - from + n) % n, backward: (from - to + n) % n };
}

/** Whether the focused element shows a focus indicator, inside the window. */
function focusIndicator() {
  const el = document.activeElement;
  // Past the last element the focus leaves the page for the browser's own controls.
  if (!el || el === document.body || el === document.documentElement) return { ok: true };
  const name = (el.getAttribute('aria-label') || el.textContent || el.value || '')
    .replace(/\s+/g, ' ').trim().slice(0, 80);
  const what = `<${el.localName}${el.id ? ` id="${el.id}"` : ''}> « ${name} »`;
  // Tab from a date field's year goes to its calendar button, inside the field: the focus
  // is then in the field's own (closed) shadow tree, and Chromium rings that button itself.
  if (el.localName === 'input' && el.type === 'date' && !el.matches(':focus')) return { ok: true };
  if (!el.matches(':focus-visible')) return { ok: false, what, why: 'not :focus-visible' };

  const outlined = (node, pseudo) => {
    const s = getComputedStyle(node, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) return false;
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
  };
  const visible = (node) => {
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (parseFloat(s.opacity) === 0 || s.visibility === 'hidden') return false;
    }
    return true;
  };
  // The indicator is on the element or its drawing (DSFR enlarged links), or (DSFR boxes,
  // radios, toggles) on its label's drawing.
  const carriers = [[el, null], [el, '::before'], [el, '::after']];
  for (const label of el.labels ?? [])
    carriers.push([label, null], [label, '::before'], [label, '::after']);
  const carrier = carriers.find(([node, pseudo]) => outlined(node, pseudo) && visible(node));
  if (!carrier) return { ok: false, what, why: 'no visible outline on it or on its label' };

  const r = carrier[0].getBoundingClientRect();
  const inWindow = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
    r.top < innerHeight && r.left < innerWidth;
  if (!inWindow) return { ok: false, what, why: 'outside the window' };
  // Nothing of the page may cover it (a sticky header, a menu). Probed inside its first line
  // box: a link wrapped over two lines spans the width of both, and its box's centre can fall
  // on the text beside it (a plage « en cours » lengthens the line before « Adresser un patient »).
  const line = carrier[0].getClientRects()[0] ?? r;
  const x = Math.min(Math.max(line.left + line.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(line.top + Math.min(line.height / 2, 8), 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const mine = (n) => n && (carrier[0].contains(n) || el.contains(n) || n.contains(el));
  if (top && !mine(top) && !(el.labels && [...el.labels].some((l) => l.contains(top))))
    return { ok: false, what, why: `covered by <${top.localName} class="${top.className}">` };
  return { ok: true };
}
