// Keyboard-first review: Enter accepts, 1-9 take a suggestion, typing starts a correction,
// Ctrl+I or "!" marks illegible, "*" toggles the series box, Esc skips.
// The form works without this script (every action is a plain submit button).
(function () {
  "use strict";
  var form = document.getElementById("decision");
  if (!form) return;
  var field = document.getElementById("correction");
  var series = document.getElementById("series");
  var sent = false;

  function press(id) {
    var button = typeof id === "string" ? document.getElementById(id) : id;
    if (!button || sent) return;
    sent = true;
    form.classList.add("sending");
    button.click();
  }

  function suggestion(n) {
    return form.querySelector('button[data-key="' + n + '"]');
  }

  form.addEventListener("submit", function (e) {
    // Enter in the correction field with nothing typed must not accept by accident.
    var submitter = e.submitter;
    if (submitter && submitter.value === "correct" && !field.value.trim()) {
      e.preventDefault();
      sent = false;
      form.classList.remove("sending");
      field.focus();
    }
  });

  document.addEventListener("keydown", function (e) {
    var inField = document.activeElement === field;
    var other = document.activeElement && document.activeElement.tagName === "SELECT";
    if (other || e.altKey || e.metaKey || e.isComposing) return;

    if (e.ctrlKey) {
      if (e.key === "i" || e.key === "I") { e.preventDefault(); press("illegible"); }
      return;
    }
    if (inField) {
      if (e.key === "Enter") { e.preventDefault(); if (field.value.trim()) press("correct"); }
      else if (e.key === "Escape") { e.preventDefault(); field.value = ""; field.blur(); }
      return;
    }
    if (e.key === "Enter") {
      var focused = document.activeElement;
      if (focused && focused.tagName === "BUTTON") return;  // a focused button does its own thing
      e.preventDefault(); press("accept");
    } else if (e.key === "Escape") {
      e.preventDefault(); press("skip");
    } else if (/^[1-9]$/.test(e.key)) {
      var b = suggestion(e.key);
      if (b) { e.preventDefault(); press(b); }
    } else if (e.key === "!") {
      e.preventDefault(); press("illegible");
    } else if (e.key === "*") {
      if (series) { e.preventDefault(); series.checked = !series.checked; }
    } else if (e.key === "/" || e.key === "F2") {
      e.preventDefault(); field.focus();
    } else if (e.key.length === 1 && e.key !== " ") {
      // any other printable character starts a correction with that character
      e.preventDefault();
      field.focus();
      field.value += e.key;
    }
  });
})();
