// Starts GOV.UK Frontend's components. A file, not an inline script: see js-enabled.js.
import { initAll } from "../dist/govuk-frontend.min.js";
initAll();
