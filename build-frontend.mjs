// Builds static/dist/: the site's CSS from static/src/site.scss, and copies the scripts it uses.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static/dist";
mkdirSync(out, { recursive: true });
const css = sass.compile("static/src/site.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/site.css`, css.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
// The footer styles name this image; collectstatic's manifest refuses a stylesheet whose
// references are missing, so it ships although no page shows it.
const images = "node_modules/govuk-frontend/dist/govuk/assets/images";
mkdirSync(`${out}/assets/images`, { recursive: true });
cpSync(`${images}/govuk-crest.svg`, `${out}/assets/images/govuk-crest.svg`);
// The chapter editor's Markdown widget (EasyMDE, with CodeMirror 5 bundled in its file).
cpSync("node_modules/easymde/dist/easymde.min.js", `${out}/easymde.min.js`);
cpSync("node_modules/easymde/dist/easymde.min.css", `${out}/easymde.min.css`);
console.log(`built ${out}/site.css (${css.css.length} bytes)`);
