// The chapter editor: EasyMDE on top of the narrative textarea, when JavaScript runs.
// Without it the textarea works as it is. Settings keep the page self-contained under the CSP:
// no icon font or spell-check dictionaries from a CDN, no autosave to localStorage of text that
// may be restricted, and the preview is the server's (htmx), not EasyMDE's own renderer.
(function () {
  "use strict";
  var textarea = document.querySelector('[data-module="app-markdown-editor"]');
  if (!textarea || typeof window.EasyMDE !== "function") return;
  var editor = new window.EasyMDE({
    element: textarea,
    autoDownloadFontAwesome: false,
    spellChecker: false,
    nativeSpellcheck: true,
    status: false,
    forceSync: true,
    toolbar: false,
    minHeight: "24rem",
    inputStyle: "contenteditable",
  });
  // Tab leaves the editor, as in any form field (no keyboard trap, WCAG 2.1.2); EasyMDE binds it
  // to indenting lists, which the toolbar-less editor does not need.
  var keys = Object.assign({}, editor.codemirror.getOption("extraKeys"), {
    Tab: false,
    "Shift-Tab": false,
  });
  editor.codemirror.setOption("extraKeys", keys);
  var input = editor.codemirror.getInputField();
  var label = document.querySelector('label[for="' + textarea.id + '"]');
  input.setAttribute("aria-label", label ? label.textContent.trim() : "Narrative");
  input.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
  editor.codemirror.on("change", function () {
    // forceSync has copied the text into the textarea: htmx posts it for the preview.
    textarea.dispatchEvent(new Event("editor-change"));
  });
})();
