// Progressive enhancement only: every form works without this file.
// « Valider » stays disabled until the password meets the policy and, on the activation
// page, « Accepter les CGU » is ticked (SPEC §2.1). The server checks the same rules again.
(function () {
  "use strict";
  var SPECIALS = "!@#$%^&*()_+=-~`{}\"?:><,./;'\\[]| ";

  function meetsPolicy(password) {
    var chars = Array.from(password);
    if (chars.length < 12 || chars.length > 128) return false;
    var upper = false, lower = false, digit = false, special = false;
    chars.forEach(function (c) {
      if (c !== c.toLowerCase()) upper = true;
      else if (c !== c.toUpperCase()) lower = true;
      if (c >= "0" && c <= "9") digit = true;
      if (SPECIALS.indexOf(c) >= 0) special = true;
    });
    return upper && lower && digit && special;
  }

  document.querySelectorAll("form[data-valider]").forEach(function (form) {
    var password = form.querySelector("input[type=password][autocomplete=new-password]");
    var cgu = form.querySelector("input[name=cgu]");
    var submit = form.querySelector("button[type=submit]");
    if (!password || !submit) return;
    function update() {
      var ok = meetsPolicy(password.value) && (!cgu || cgu.checked);
      submit.disabled = !ok;
    }
    password.addEventListener("input", update);
    if (cgu) cgu.addEventListener("change", update);
    update();
  });
})();
