// Progressive enhancement only: every form works without this file.
// « Valider » stays disabled until the password meets the policy and, on the activation
// page, « Accepter les CGU » is ticked (docs/rules.md#accounts-and-passwords). While typing,
// each listed rule says whether it is met, and a polite live region names the rules not met
// yet, once the typing pauses. The rules are the server's (static/js/password-policy.js); the
// server checks them again.
(function () {
  "use strict";
  var policy = window.sasPasswordPolicy;
  if (!policy) return;
  var PAUSE_MS = 700;  // announced once the typing pauses, not at every key

  // Every form that sets a password (activation, reset, the change on « Vos identifiants de
  // connexion », forced or not) says its rules while typing; those marked data-valider also
  // keep « Valider » disabled until they are met.
  document.querySelectorAll("form").forEach(function (form) {
    var password = form.querySelector("input[type=password][autocomplete=new-password]");
    var holdSubmit = form.hasAttribute("data-valider");
    var email = form.querySelector("input[name=email]");
    var cgu = form.querySelector("input[name=cgu]");
    var submit = form.querySelector("button[type=submit]");
    var group = form.querySelector(".sas-password-rules");
    var status = group && group.querySelector(".sas-password-rules__status");
    if (!password || !submit) return;
    var timer = null;

    function show(failed) {
      if (!group) return;
      var unmet = [];
      group.querySelectorAll("li[data-regles]").forEach(function (li) {
        var codes = li.getAttribute("data-regles").split(" ");
        var ok = !codes.some(function (c) { return failed.indexOf(c) >= 0; });
        var state = li.querySelector(".sas-password-rules__state");
        li.classList.toggle("sas-password-rules__rule--met", password.value !== "" && ok);
        li.classList.toggle("sas-password-rules__rule--unmet", password.value !== "" && !ok);
        if (state) state.textContent = password.value === "" ? "" : ok ? " : respectée" : " : non respectée";
        if (!ok) unmet.push(li.firstChild.textContent);
      });
      if (!status) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        status.classList.toggle("fr-message--error", password.value !== "" && unmet.length > 0);
        status.classList.toggle("fr-message--valid", password.value !== "" && unmet.length === 0);
        status.textContent = password.value === "" ? ""
          : unmet.length === 0 ? "Le mot de passe respecte toutes les règles."
          : (unmet.length === 1 ? "Règle non respectée : " : "Règles non respectées : ") +
            unmet.join(" ; ") + ".";
      }, PAUSE_MS);
    }

    function update() {
      var failed = policy.failures(password.value, email ? email.value : "");
      if (holdSubmit) submit.disabled = failed.length > 0 || (!!cgu && !cgu.checked);
      show(failed);
    }
    password.addEventListener("input", update);
    if (cgu) cgu.addEventListener("change", update);
    update();
  });
})();

// The week agenda and the forms it opens, with htmx (templates/layout/base.mustache: their
// <main> has data-hx-boost): a link or a form there fetches its page and only the new <main>
// replaces the old one, so the week changes without a full reload. The address follows (history
// pushed; Back reloads that page, nothing is kept in sessionStorage). Here: what a full load
// would have done for the person, the focus, the scroll position and what a screen reader says.
(function () {
  "use strict";
  if (!window.htmx) return;
  var FLOW = /^\/lieux\/\d+\/(agenda|disponibilites|indisponibilite|informations-complementaires)(\/|$)/;

  function inFlow(address) {
    var url = new URL(address, window.location.href);
    return url.origin === window.location.origin && FLOW.test(url.pathname);
  }

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // A link that leaves the agenda (« Retour » to the dashboard) loads its whole page.
  document.addEventListener("htmx:confirm", function (evt) {
    if (evt.detail.verb === "get" && !inFlow(evt.detail.path)) {
      evt.preventDefault();
      window.location.assign(evt.detail.path);
    }
  });

  // An answer from elsewhere (the login page once the session has ended): the whole page.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var url = evt.detail.xhr && evt.detail.xhr.responseURL;
    if (url && !inFlow(url)) {
      evt.detail.shouldSwap = false;
      window.location.assign(url);
    }
  });

  // A refused form (422) keeps the form's own address, which shows the form again if reloaded
  // (the address it was sent to only takes a POST).
  document.addEventListener("htmx:beforeHistoryUpdate", function (evt) {
    if (evt.detail.xhr && evt.detail.xhr.status === 422) {
      evt.detail.history.type = "replace";
      evt.detail.history.path = window.location.pathname + window.location.search;
    }
  });

  var pending = null; // the element activated, and where its week navigation was on screen
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    var nav = elt && elt.closest && elt.closest(".sas-week-nav");
    pending = nav ? { week: true, link: text(elt), top: nav.getBoundingClientRect().top }
                  : { week: false };
  });

  function announce(message) {
    var region = document.getElementById("annonce");
    if (!region || !message) return;
    region.textContent = "";
    // Emptied, then filled a moment later: screen readers read the new text even when it is
    // the same as the last one.
    window.setTimeout(function () { region.textContent = message; }, 150);
  }

  document.addEventListener("htmx:afterSettle", function () {
    var main = document.getElementById("contenu");
    var done = pending;
    pending = null;
    if (!main || !done) return;
    var messages = [];
    var nav = main.querySelector(".sas-week-nav");
    if (done.week && nav) {
      // Another week: the navigation stays where it was on screen, the focus on the same
      // link (« Jours suivants » again), and the week's title is read.
      window.scrollBy(0, nav.getBoundingClientRect().top - done.top);
      var same = Array.prototype.filter.call(nav.querySelectorAll("a"), function (a) {
        return text(a) === done.link;
      })[0];
      (same || nav.querySelector("a") || main).focus({ preventScroll: true });
      messages.push(text(nav.querySelector("[aria-live]")));
    } else {
      // Another page (a form, or the agenda after it): from its top, as a full load would.
      window.scrollTo(0, 0);
      main.focus({ preventScroll: true });
      messages.push(text(main.querySelector("h1")));
    }
    main.querySelectorAll('[role="status"], [role="alert"]').forEach(function (el) {
      messages.push(text(el));
    });
    announce(messages.filter(Boolean).join(". "));
  });
})();

// « Adresser un patient » in a DSFR modal (templates/partials/orientation_modal.mustache): the
// links marked data-sas-orienter fetch the step's page and show its .sas-orientation part in the
// modal, their h1 its title; its forms and links are sent the same way, so that the steps are
// the pages' own (the
// server checks everything; without this file they are plain pages). An answer that is not a
// step (the login page once the session has ended) is loaded as a whole page. Once a patient
// is adressed, or the place was taken meanwhile, closing the modal reloads the results.
(function () {
  "use strict";
  var modal = document.getElementById("orientation-modale");
  var content = document.getElementById("orientation-modale-contenu");
  if (!modal || !content || !window.fetch || !window.DOMParser) return;
  var STEP = /^\/(orientations(\/|$)|lieux\/\d+\/orientation-hors-creneaux$)/;
  var changed = false;
  var busy = false;

  function ours(address) {
    var url = new URL(address, window.location.href);
    return url.origin === window.location.origin && STEP.test(url.pathname);
  }

  function dsfrModal() {
    return window.dsfr && window.dsfr(modal).modal;
  }

  // The step's content in the modal, its h1 as the modal's title (focused, so that it is read).
  function show(html, status, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var step = doc.querySelector(".sas-orientation") || (ours(url) && doc.querySelector("main"));
    if (!step || !ours(url)) {
      window.location.assign(url);
      return;
    }
    if (status === 409 || /^\/orientations\/\d+$/.test(new URL(url).pathname)) changed = true;
    content.replaceChildren();
    Array.prototype.slice.call(step.childNodes).forEach(function (node) {
      content.appendChild(document.importNode(node, true));
    });
    var title = content.querySelector("h1");
    if (!title) {
      title = document.createElement("h1");
      title.textContent = "Adresser un patient";
      content.prepend(title);
    }
    title.id = "orientation-modale-titre";
    title.classList.add("fr-modal__title");
    title.tabIndex = -1;
    var api = dsfrModal();
    if (api && !api.isDisclosed) api.disclose();
    whenShown(function () {
      title.focus();
      document.dispatchEvent(new CustomEvent("sas:modal-step")); // shown (the browser tests wait)
    });
  }

  // Once the modal has faded in: a title still transparent can be neither focused nor read.
  function whenShown(callback) {
    var done = false;
    function finish() {
      if (done) return;
      done = true;
      modal.removeEventListener("transitionend", ended);
      callback();
    }
    function ended(evt) {
      if (evt.target === modal && evt.propertyName === "opacity") finish();
    }
    modal.addEventListener("transitionend", ended);
    window.requestAnimationFrame(function () {
      if (window.getComputedStyle(modal).opacity === "1") finish();
    });
    window.setTimeout(finish, 1000); // no transition at all (reduced motion)
  }

  function load(url, init, fallback) {
    if (busy) return;
    busy = true;
    var options = Object.assign({ credentials: "same-origin" }, init || {});
    options.headers = { "X-SAS-Modale": "1" }; // a page fetched for the modal (same answer)
    fetch(url, options)
      .then(function (response) {
        return response.text().then(function (html) { show(html, response.status, response.url); });
      })
      .catch(fallback)
      .finally(function () { busy = false; });
  }

  document.addEventListener("click", function (evt) {
    var link = evt.target.closest && evt.target.closest("a[data-sas-orienter]");
    if (!link || evt.button !== 0 || evt.ctrlKey || evt.metaKey || evt.shiftKey || evt.altKey) return;
    evt.preventDefault();
    load(link.href, null, function () { window.location.assign(link.href); });
  });

  // Inside the modal: a step's link is fetched; one back to the results closes the modal.
  content.addEventListener("click", function (evt) {
    var link = evt.target.closest && evt.target.closest("a[href]");
    if (!link || evt.button !== 0 || evt.ctrlKey || evt.metaKey || evt.shiftKey) return;
    evt.preventDefault();
    if (ours(link.href)) {
      load(link.href, null, function () { window.location.assign(link.href); });
    } else {
      var api = dsfrModal();
      if (api) api.conceal();
      else window.location.assign(link.href);
    }
  });

  content.addEventListener("submit", function (evt) {
    var form = evt.target;
    var submitter = evt.submitter;
    evt.preventDefault();
    var action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    load(action, { method: "POST", body: new URLSearchParams(data) }, function () {
      form.submit();
    });
  });

  modal.addEventListener("dsfr.conceal", function () {
    if (changed) window.location.reload();
  });
})();

// « Imprimer » on the search's results: a button that only JavaScript can make work, hidden
// until then (the browser's own print command gives the same print view, static/css/sas.css).
(function () {
  "use strict";
  document.querySelectorAll("[data-sas-imprimer]").forEach(function (item) {
    var button = item.querySelector("button");
    if (!button || !window.print) return;
    item.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// The CGU pop-in (templates/partials/cgu_modal.mustache) over the landing page of an account
// that has not accepted them: opened once DSFR has made the modal's instance, and opened again
// if closed (Escape), since nothing else may be done before but leaving (its « Se déconnecter »).
// While it is open the page behind is inert: neither focusable nor read (DSFR 1.x only traps
// Tab). Its form is the page /cgu/accepter's, sent as is; without this file, or if DSFR never
// starts, that page.
(function () {
  "use strict";
  var modal = document.getElementById("cgu-modale");
  if (!modal) return;
  var tries = 0;
  var inerted = [];

  function instance() {
    var node = window.dsfr && window.dsfr(modal);
    return node && node.modal;
  }

  function open() {
    var api = instance();
    if (api) {
      if (!api.isDisclosed) api.disclose();
      return;
    }
    // DSFR's module runs after this file and makes its instances at DOMContentLoaded.
    if (++tries < 100) window.setTimeout(open, 50);
    else window.location.assign(modal.getAttribute("data-sas-page") || "/cgu/accepter");
  }

  modal.addEventListener("dsfr.disclose", function () {
    Array.prototype.forEach.call(document.body.children, function (child) {
      if (child === modal || child.localName === "script" || child.hasAttribute("inert")) return;
      child.setAttribute("inert", "");
      inerted.push(child);
    });
  });
  modal.addEventListener("dsfr.conceal", function () {
    inerted.forEach(function (child) { child.removeAttribute("inert"); });
    inerted = [];
    window.setTimeout(open, 0);
  });
  open();
})();

// The week agenda on a phone or a tablet (narrower than DSFR's « lg », 62em): one day at a time,
// chosen with the day tabs the page holds hidden (http/pages/agenda_view.cpp), in the ARIA tabs
// pattern: the arrows move to the previous or next day, Home and End to Monday and Sunday, the
// tab focused is the day shown. The day chosen stays when the week changes in place (htmx).
(function () {
  "use strict";
  var narrow = window.matchMedia && window.matchMedia("(max-width: 61.98em)");
  if (!narrow) return;
  var chosenIndex = null;

  function parts() {
    var tabs = document.querySelector(".sas-agenda-tabs");
    var grid = document.querySelector(".sas-agenda");
    if (!tabs || !grid) return null;
    return { tabs: tabs, grid: grid, buttons: Array.prototype.slice.call(tabs.querySelectorAll('[role="tab"]')) };
  }

  function choose(p, index, focus) {
    var oneDay = narrow.matches;
    p.buttons.forEach(function (button, i) {
      var on = i === index;
      button.setAttribute("aria-selected", on ? "true" : "false");
      button.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(button.getAttribute("aria-controls"));
      if (!panel) return;
      var title = panel.querySelector("h3");
      if (oneDay) {
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", button.id);
      } else {
        panel.removeAttribute("role");
        if (title) panel.setAttribute("aria-labelledby", title.id);
      }
      panel.hidden = oneDay && !on;
    });
    chosenIndex = index;
    // The chosen tab in view in its list, which scrolls sideways on its own (not the page).
    var list = p.buttons[index].closest('[role="tablist"]');
    var tab = p.buttons[index];
    if (list && (tab.offsetLeft < list.scrollLeft ||
                 tab.offsetLeft + tab.offsetWidth > list.scrollLeft + list.clientWidth)) {
      list.scrollLeft = tab.offsetLeft - (list.clientWidth - tab.offsetWidth) / 2;
    }
    if (focus) tab.focus();
  }

  function setUp() {
    var p = parts();
    if (!p || p.buttons.length === 0) return;
    p.tabs.hidden = !narrow.matches;
    p.grid.classList.toggle("sas-agenda--one-day", narrow.matches);
    var index = chosenIndex;
    if (index === null) {
      index = p.buttons.findIndex(function (b) { return b.hasAttribute("data-sas-choisi"); });
    }
    choose(p, Math.max(0, Math.min(index, p.buttons.length - 1)), false);
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest('.sas-agenda-tabs [role="tab"]');
    var p = button && parts();
    if (p) choose(p, p.buttons.indexOf(button), true);
  });
  document.addEventListener("keydown", function (evt) {
    var button = evt.target.closest && evt.target.closest('.sas-agenda-tabs [role="tab"]');
    var p = button && parts();
    if (!p) return;
    var i = p.buttons.indexOf(button);
    var n = p.buttons.length;
    var to = { ArrowLeft: (i + n - 1) % n, ArrowRight: (i + 1) % n, Home: 0, End: n - 1 }[evt.key];
    if (to === undefined) return;
    evt.preventDefault();
    evt.stopPropagation();  // DSFR's tab lists listen too (for tabs of theirs) and stop it
    choose(p, to, true);
  }, true);
  if (narrow.addEventListener) narrow.addEventListener("change", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
  setUp();
})();

// « A+ » and « A− » (the guide's agenda pages): the text of every page larger or smaller, by
// three steps at most each way; remembered in this browser (localStorage) and applied before
// the page shows by static/js/text-size.js. The buttons are shown by this script only.
(function () {
  "use strict";
  var sizes = window.sasTextSize;
  if (!sizes) return;

  function refresh() {
    var level = sizes.level();
    document.querySelectorAll("[data-sas-taille-texte]").forEach(function (group) {
      group.hidden = false;
      var up = group.querySelector('[data-sas-taille="plus"]');
      var down = group.querySelector('[data-sas-taille="moins"]');
      if (up) up.disabled = level >= sizes.MAX;
      if (down) down.disabled = level <= -sizes.MAX;
    });
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("button[data-sas-taille]");
    if (!button) return;
    var level = sizes.level() + (button.getAttribute("data-sas-taille") === "plus" ? 1 : -1);
    sizes.set(level);
    refresh();
    // A button that turned disabled loses the focus: it goes to the other one.
    if (button.disabled) {
      var group = button.closest("[data-sas-taille-texte]");
      var other = group && group.querySelector("button[data-sas-taille]:not(:disabled)");
      if (other) other.focus();
    }
  });
  document.addEventListener("htmx:afterSettle", refresh);
  refresh();
})();
