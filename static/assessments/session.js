// Session time-out warning (WCAG 2.2.1) and draft keeping.
//
// Signed-in pages carry data-session-seconds (how long the session lives without a request) and
// data-session-warning-seconds (how long before the end to warn). Before the end, a dialog offers
// to stay signed in; staying calls the keep-alive URL, which restarts the session's clock.
// Whatever someone types into a textarea is kept in this browser (sessionStorage) until the form is
// sent, so a comment half-written when the session ends is back in its box after signing in again.
(function () {
  "use strict";
  var body = document.body;
  var lifetime = parseInt(body.dataset.sessionSeconds || "0", 10);
  var warnBefore = parseInt(body.dataset.sessionWarningSeconds || "0", 10);
  var keepAliveUrl = body.dataset.sessionKeepAliveUrl;

  function draftKey(field) {
    return "draft:" + window.location.pathname + ":" + (field.form && field.form.id || "") + ":" + field.name;
  }

  function keepDrafts() {
    document.querySelectorAll("form textarea[name]").forEach(function (field) {
      var saved = window.sessionStorage.getItem(draftKey(field));
      if (saved && !field.value) {
        field.value = saved;
        var note = document.createElement("p");
        note.className = "govuk-body-s app-draft-restored";
        note.textContent = "We kept what you were writing before you were signed out.";
        field.parentNode.insertBefore(note, field);
      }
      field.addEventListener("input", function () {
        window.sessionStorage.setItem(draftKey(field), field.value);
      });
      if (field.form) {
        field.form.addEventListener("submit", function () {
          window.sessionStorage.removeItem(draftKey(field));
        });
      }
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function startTimers() {
    var dialog = document.getElementById("session-timeout-dialog");
    if (!lifetime || !dialog || !keepAliveUrl) return;
    var warnTimer, endTimer;

    function schedule() {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      warnTimer = window.setTimeout(function () {
        dialog.showModal();
      }, Math.max(lifetime - warnBefore, 0) * 1000);
      endTimer = window.setTimeout(function () {
        window.location.href = body.dataset.sessionEndUrl + "?next=" + encodeURIComponent(window.location.pathname);
      }, lifetime * 1000);
    }

    document.getElementById("session-stay").addEventListener("click", function () {
      fetch(keepAliveUrl, {method: "POST", headers: {"X-CSRFToken": csrfToken()}, credentials: "same-origin"})
        .then(function (response) {
          if (response.ok) {
            dialog.close();
            schedule();
          }
        });
    });
    schedule();
  }

  keepDrafts();
  startTimers();
})();
