// Shows only the parts of the nomination form that apply to the chosen kind of
// nominator, and moves focus to the error summary. The form works without it:
// every part is visible and the server checks everything.
(function () {
  "use strict";

  var form = document.getElementById("nomination-form");
  if (!form) {
    return;
  }
  var kindInputs = form.querySelectorAll('input[name="nominator_kind"]');
  var parts = form.querySelectorAll("[data-show-for]");

  function showPartsFor(kind) {
    parts.forEach(function (part) {
      var kinds = part.getAttribute("data-show-for").split(" ");
      // Before a kind is chosen, everything stays visible.
      part.hidden = kind !== null && kinds.indexOf(kind) === -1;
    });
  }

  function chosenKind() {
    var chosen = form.querySelector('input[name="nominator_kind"]:checked');
    return chosen ? chosen.value : null;
  }

  kindInputs.forEach(function (input) {
    input.addEventListener("change", function () {
      showPartsFor(chosenKind());
    });
  });
  showPartsFor(chosenKind());

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
