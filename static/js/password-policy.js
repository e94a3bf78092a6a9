// The password rules of src/domain/password_policy.cpp, the same in the browser
// (docs/rules.md#accounts-and-passwords): the same letters with a case, digits, specials and
// email part, so that « Valider » is never enabled for a password the server refuses, nor kept
// disabled for one it accepts. tests/unit/password_policy_js.test.mjs runs these rules on the
// cases tests/support/files/password_cases.json that the server's unit test runs too.
(function (root) {
  "use strict";
  var MIN_LENGTH = 12;
  var MAX_LENGTH = 128;
  var MIN_EMAIL_PART = 4;
  var SPECIALS = "!@#$%^&*()_+=-~`{}\"?:><,./;'\\[]| ";

  // Letters with a case in the scripts French users type: Basic Latin, Latin-1 Supplement,
  // Latin Extended-A, basic Greek and Cyrillic (as isUpper / isLower on the server).
  function isUpper(c) {
    if (c >= 0x41 && c <= 0x5a) return true;
    if (c >= 0xc0 && c <= 0xde) return c !== 0xd7;
    if (c >= 0x100 && c <= 0x137) return c % 2 === 0;
    if (c >= 0x139 && c <= 0x148) return c % 2 === 1;
    if (c >= 0x14a && c <= 0x177) return c % 2 === 0;
    if (c === 0x178) return true;
    if (c >= 0x179 && c <= 0x17e) return c % 2 === 1;
    if (c >= 0x391 && c <= 0x3a9) return c !== 0x3a2;
    if (c >= 0x400 && c <= 0x42f) return true;
    return false;
  }

  function isLower(c) {
    if (c >= 0x61 && c <= 0x7a) return true;
    if (c >= 0xdf && c <= 0xff) return c !== 0xf7;
    if (c >= 0x100 && c <= 0x137) return c % 2 === 1;
    if (c === 0x138) return true;
    if (c >= 0x139 && c <= 0x148) return c % 2 === 0;
    if (c === 0x149) return true;
    if (c >= 0x14a && c <= 0x177) return c % 2 === 1;
    if (c >= 0x179 && c <= 0x17e) return c % 2 === 0;
    if (c === 0x17f) return true;
    if (c >= 0x3b1 && c <= 0x3c9) return true;
    if (c >= 0x430 && c <= 0x45f) return true;
    return false;
  }

  function toLower(c) {
    if (!isUpper(c)) return c;
    if (c < 0x80 || (c >= 0xc0 && c <= 0xde)) return c + 0x20;
    if (c === 0x130) return 0x69;
    if (c === 0x178) return 0xff;
    if (c >= 0x100 && c <= 0x17e) return c + 1;
    if (c >= 0x391 && c <= 0x3a9) return c + 0x20;
    if (c >= 0x400 && c <= 0x40f) return c + 0x50;
    if (c >= 0x410 && c <= 0x42f) return c + 0x20;
    return c;
  }

  function codePoints(text) {
    return Array.from(text, function (ch) { return ch.codePointAt(0); });
  }

  function lowered(points) {
    return points.map(toLower);
  }

  function contains(hay, needle) {
    outer: for (var i = 0; i + needle.length <= hay.length; i++) {
      for (var k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
      return true;
    }
    return false;
  }

  // The rules the password breaks, in the server's order: "longueur_min", "longueur_max",
  // "casse", "chiffre", "special", "email" (a browser's text is always valid Unicode).
  function failures(password, email) {
    var points = codePoints(password);
    var out = [];
    if (points.length < MIN_LENGTH) out.push("longueur_min");
    if (points.length > MAX_LENGTH) out.push("longueur_max");
    if (!points.some(isUpper) || !points.some(isLower)) out.push("casse");
    if (!points.some(function (c) { return c >= 0x30 && c <= 0x39; })) out.push("chiffre");
    if (!points.some(function (c) { return c < 0x80 && SPECIALS.indexOf(String.fromCharCode(c)) >= 0; }))
      out.push("special");
    var at = (email || "").lastIndexOf("@");
    var local = codePoints(at >= 0 ? email.slice(0, at) : email || "");
    if (local.length >= MIN_EMAIL_PART && contains(lowered(points), lowered(local)))
      out.push("email");
    return out;
  }

  var api = { failures: failures };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.sasPasswordPolicy = api;
})(this);
