// Keyboard-first review. Enter accepts; any printable key (digits too) starts a correction with
// that key; Down/Up choose a suggestion; Ctrl+E edits the whole line, Ctrl+I marks illegible,
// Ctrl+D "not text" (a table cell: empty it), Ctrl+S toggles the series box, Ctrl+Z undoes,
// PageDown goes to the next document, Esc skips; a table cell: Ctrl+M merges it with the cell to
// its right, Ctrl+B with the cell below, Ctrl+U splits it. The lease of the item on screen is renewed while the page is open and
// given back (sendBeacon) when the reviewer leaves. The form works without this script.
(function () {
  "use strict";
  var form = document.getElementById("decision");
  var undoForm = document.getElementById("undo-form");
  var nextDoc = document.getElementById("next-doc");
  var box = document.getElementById("item");
  var sent = false;

  function post(url, data) {
    var body = new FormData();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return body;
  }

  // -- leases: renew while shown, give back on leave (not when a decision is being sent)
  if (box) {
    var itemId = box.getAttribute("data-item"), csrf = box.getAttribute("data-csrf");
    var every = parseInt(box.getAttribute("data-renew"), 10) || 40000;
    setInterval(function () {
      if (!sent && document.visibilityState === "visible") {
        fetch("/queue/renew", {method: "POST", body: post("/queue/renew", {csrf: csrf, item_id: itemId}),
                               credentials: "same-origin"}).catch(function () {});
      }
    }, every);
    window.addEventListener("pagehide", function () {
      if (!sent && navigator.sendBeacon) {
        navigator.sendBeacon("/queue/release", post("/queue/release", {csrf: csrf, item_id: itemId}));
      }
    });
  }

  // -- the page view: zoom with + / - / buttons / wheel, pan by dragging
  var viewport = document.getElementById("viewport");
  var pageImage = document.getElementById("page-image");
  if (viewport && pageImage) {
    var zoom = 1;
    var apply = function (z, keepFocus) {
      zoom = Math.max(0.5, Math.min(6, z));
      pageImage.style.width = (zoom * 100) + "%";
      var fx = parseFloat(viewport.getAttribute("data-fx")), fy = parseFloat(viewport.getAttribute("data-fy"));
      if (keepFocus && !isNaN(fx)) {
        viewport.scrollLeft = fx * pageImage.clientWidth - viewport.clientWidth / 2;
        viewport.scrollTop = fy * pageImage.clientHeight - viewport.clientHeight / 2;
      }
    };
    var focusWord = function () { apply(zoom, true); };
    if (pageImage.complete) focusWord(); else pageImage.addEventListener("load", focusWord);
    document.getElementById("zoom-in").addEventListener("click", function () { apply(zoom * 1.5, true); });
    document.getElementById("zoom-out").addEventListener("click", function () { apply(zoom / 1.5, true); });
    document.getElementById("zoom-fit").addEventListener("click", function () { apply(1, true); });
    viewport.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) return;
      e.preventDefault();
      apply(e.deltaY < 0 ? zoom * 1.2 : zoom / 1.2, true);
    }, {passive: false});
    var drag = null;
    viewport.addEventListener("pointerdown", function (e) {
      drag = {x: e.clientX, y: e.clientY, l: viewport.scrollLeft, t: viewport.scrollTop};
      viewport.setPointerCapture(e.pointerId);
      viewport.classList.add("dragging");
    });
    viewport.addEventListener("pointermove", function (e) {
      if (!drag) return;
      viewport.scrollLeft = drag.l - (e.clientX - drag.x);
      viewport.scrollTop = drag.t - (e.clientY - drag.y);
    });
    viewport.addEventListener("pointerup", function () { drag = null; viewport.classList.remove("dragging"); });
    viewport.zoomBy = function (f) { apply(zoom * f, true); };
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented) return;
    if (e.ctrlKey && (e.key === "z" || e.key === "Z") && undoForm) {
      var t = document.activeElement;
      if (t && t.tagName === "INPUT" && t.value) return;  // the field's own undo
      e.preventDefault();
      sent = true;
      undoForm.submit();
      return;
    }
    if (e.key === "PageDown" && nextDoc && !(document.activeElement && document.activeElement.tagName === "INPUT")) {
      e.preventDefault();
      nextDoc.click();
    }
  });

  if (!form) return;
  var field = document.getElementById("correction");
  var line = document.getElementById("line");
  var series = document.getElementById("series");
  var preview = document.getElementById("series-preview");
  var mandatoryEmpty = form.getAttribute("data-mandatory") === "1" && form.getAttribute("data-empty") === "1";

  function press(id) {
    var button = typeof id === "string" ? document.getElementById(id) : id;
    if (!button || sent) return;
    sent = true;
    form.classList.add("sending");
    button.click();
  }

  function suggestions() {
    return Array.prototype.slice.call(form.querySelectorAll("#suggestions button"));
  }

  form.addEventListener("submit", function (e) {
    var submitter = e.submitter;
    var v = submitter && submitter.value;
    // Enter in an empty field must not save nothing; a mandatory field found empty needs a value
    if ((v === "correct" && !field.value.trim()) || (v === "line" && line && !line.value.trim()) ||
        (v === "accept" && mandatoryEmpty)) {
      e.preventDefault();
      sent = false;
      form.classList.remove("sending");
      var hint = document.getElementById("expected");
      if (hint) hint.classList.add("error");
      field.focus();
      return;
    }
    sent = true;
  });

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented) return;
    var active = document.activeElement;
    var inField = active === field || (line && active === line);
    var other = active && (active.tagName === "SELECT" || !!active.closest("#not-publication"));  // its reason is typed there
    if (other || e.altKey || e.metaKey || e.isComposing) return;

    if (e.ctrlKey) {
      var k = e.key.toLowerCase();
      if (k === "i") { e.preventDefault(); press("illegible"); }
      else if (k === "d") { e.preventDefault(); press("not-text"); }
      else if (k === "m" && document.getElementById("merge-right")) { e.preventDefault(); press("merge-right"); }
      else if (k === "b" && document.getElementById("merge-down")) { e.preventDefault(); press("merge-down"); }
      else if (k === "u" && document.getElementById("split")) { e.preventDefault(); press("split"); }
      else if (k === "e" && line) { e.preventDefault(); line.focus(); line.select(); }
      else if (k === "s" && series) {
        e.preventDefault();
        series.checked = !series.checked;
        if (preview) preview.open = true;
      }
      return;
    }
    if (inField) {
      if (e.key === "Enter") {
        e.preventDefault();
        if (active === field && field.value.trim()) press("correct");
        else if (active === line && line.value.trim()) press("line-save");
      } else if (e.key === "Escape") {
        e.preventDefault();
        if (active === field) field.value = "";
        active.blur();
      }
      return;
    }
    var list = suggestions();
    var at = list.indexOf(active);
    if (e.key === "ArrowDown" && list.length) {
      e.preventDefault(); list[Math.min(at + 1, list.length - 1)].focus();
    } else if (e.key === "ArrowUp" && list.length) {
      e.preventDefault(); if (at > 0) list[at - 1].focus();
    } else if (e.key === "Enter") {
      if (active && active.tagName === "BUTTON") return;  // a focused button does its own thing
      e.preventDefault();
      if (mandatoryEmpty) { field.focus(); var hint = document.getElementById("expected"); if (hint) hint.classList.add("error"); }
      else press("accept");
    } else if (e.key === "Escape") {
      e.preventDefault(); press("skip");
    } else if ((e.key === "+" || e.key === "-") && viewport && active === viewport) {
      e.preventDefault(); viewport.zoomBy(e.key === "+" ? 1.5 : 1 / 1.5);
    } else if (e.key.length === 1 && e.key !== " ") {
      // any printable character, digits included, starts a correction with that character
      e.preventDefault();
      field.focus();
      field.value += e.key;
    }
  });
})();
