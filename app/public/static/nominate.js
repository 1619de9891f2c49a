// Shows only the parts of the nomination form that apply to the chosen kind of
// nominator, moves focus to the error summary, and keeps what was typed when the
// language changes. The form works without it: every part is visible, the server
// checks everything, and the language links open an empty form.
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

  // A language link posts the form with the new language instead of opening an
  // empty form. The server stores nothing and shows the same entries in that language.
  document.querySelectorAll(".language-menu a[data-language]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      // A click that opens a new tab or window keeps the link's own behaviour.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      // A page restored by Back may still hold the field from an earlier switch.
      form.querySelectorAll('input[name="switch_language"]').forEach(function (old) {
        old.remove();
      });
      var choice = document.createElement("input");
      choice.type = "hidden";
      choice.name = "switch_language";
      choice.value = link.getAttribute("data-language");
      form.appendChild(choice);
      // The address's ?lang= decides the page's language, so it must name the new one.
      form.action = link.href;
      form.submit();
    });
  });

  // Move focus to what went wrong, so screen readers read it first.
  var problem = document.getElementById("error-summary") || document.getElementById("form-problem");
  if (problem) {
    problem.focus();
  }
})();
