// Rapport's small behaviours on top of htmx. No framework, no eval (strict CSP).
(function () {
  "use strict";

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  // A form inside a live region that the person has started changing is "editing":
  // live updates wait until it is saved or abandoned, so nothing typed is ever lost.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form");
    // A search box is not an edit: typing a query must not pause live updates.
    if (form && form.closest("[data-live]") && !form.matches("[role=search]")) {
      form.setAttribute("data-editing", "");
    }
  });

  function editingInProgress() {
    return document.querySelector("[data-live] [data-editing], [data-live][data-editing]") !== null;
  }

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (editingInProgress()) event.detail.shouldSwap = false;
  });

  // The live poll asks "anything newer than the version I show?".
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "live") event.detail.parameters.v = elt.dataset.version || "";
  });

  // A write of ours answered with "prior new": when we showed `prior`, our own write was
  // the only change and its response already updated the page, so we adopt `new`.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var live = document.getElementById("live");
    if (!live || !xhr || !event.detail.successful) return;
    var bump = (xhr.getResponseHeader("X-Rapport-Version") || "").split(" ");
    if (bump.length === 2 && live.dataset.version === bump[0]) live.dataset.version = bump[1];
  });

  // After adding a talking point or an action item, clear the form for the next one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful || !form || form.tagName !== "FORM") return;
    if (form.id === "add-point" || form.classList.contains("add-action")) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.status === 200) {
        form.reset();
        // Only the list was swapped: clear an error left by an earlier failed attempt.
        form.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
        form.querySelectorAll("[aria-invalid]").forEach(function (el) {
          el.removeAttribute("aria-invalid");
          el.removeAttribute("aria-describedby");
        });
        var field = form.querySelector("textarea, input[type=text]");
        if (field) field.focus();
      }
    }
  });

  // Keyboard: "a" adds a talking point, "/" searches the history; Ctrl/Cmd+Enter submits.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && isTyping(event.target)) {
      var form = event.target.form;
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(document.activeElement)) return;
    if (event.key === "a" || event.key === "A") {
      var box = document.getElementById("new-point");
      if (box) {
        event.preventDefault();
        box.focus();
        box.scrollIntoView({ block: "center" });
      }
    } else if (event.key === "/") {
      var search = document.getElementById("history-q");
      if (search) {
        event.preventDefault();
        search.focus();
      }
    }
  });

  // Escape closes an open menu and returns focus to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.activeElement && document.activeElement.closest("details[open]");
    if (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) summary.focus();
    }
  });
})();
