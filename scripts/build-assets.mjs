// Builds the assets that the assure binary embeds into crates/assure_web/assets/dist:
// our stylesheet compiled from GOV.UK Frontend's Sass, its JavaScript, and our init script.
import { compile } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";

const out = "crates/assure_web/assets/dist";
mkdirSync(out, { recursive: true });
const css = compile("crates/assure_web/assets/src/assure.scss", {
  style: "compressed",
  loadPaths: ["."],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "mixed-decls"],
});
writeFileSync(`${out}/assure.css`, css.css);
copyFileSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
copyFileSync("crates/assure_web/assets/src/init.js", `${out}/init.js`);

console.log(`assets built in ${out}`);
