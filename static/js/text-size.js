// Display choices remembered in this browser, applied here in the page's <head> so that the
// page never shows otherwise first:
// - the text size chosen with « A+ » / « A− » (static/js/sas.js): levels -3 … 3 give the root
//   font size 70 % … 130 % (static/css/sas.css), and every rem with it;
// - the theme chosen in « Paramètres d'affichage » (DSFR's, which applies it again once
//   started, at the end of the page).
(function () {
  "use strict";
  var KEY = "sas-taille-texte";
  var MAX = 3;
  var root = document.documentElement;

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;  // storage refused (private mode, settings): the usual display
    }
  }

  function clamp(level) {
    return isNaN(level) ? 0 : Math.max(-MAX, Math.min(MAX, level));
  }

  function apply(level) {
    if (level === 0) root.removeAttribute("data-sas-texte");
    else root.setAttribute("data-sas-texte", String(level));
  }

  var current = clamp(parseInt(stored(KEY), 10));
  window.sasTextSize = {
    MAX: MAX,
    level: function () { return current; },
    set: function (level) {
      current = clamp(level);
      try {
        if (current === 0) window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, String(current));
      } catch (e) { /* applied, not remembered */ }
      apply(current);
    },
  };
  apply(current);

  var scheme = stored("scheme");  // DSFR's key
  var dark = scheme === "dark" ||
    (scheme === "system" && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  if (scheme === "dark" || scheme === "light" || scheme === "system") {
    root.setAttribute("data-fr-theme", dark ? "dark" : "light");
  }
})();
