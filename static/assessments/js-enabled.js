// Marks the page as scripted before it is painted (GOV.UK Frontend's js-enabled class). A file,
// not an inline script, so that cached public pages need no per-request CSP nonce.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
