// Parses every .mmd file named on the command line (or found in the
// directories named) with the official mermaid parser, mermaid.parse, and
// fails when any of them does not parse.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";

// mermaid sanitizes labels with DOMPurify, which needs a DOM: give it one
// before mermaid loads.
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

const files = [];
for (const arg of process.argv.slice(2)) {
  if (statSync(arg).isDirectory()) {
    for (const f of readdirSync(arg).sort()) if (f.endsWith(".mmd")) files.push(join(arg, f));
  } else files.push(arg);
}
if (files.length === 0) {
  console.error("mermaid-check: no .mmd files given");
  process.exit(2);
}
let bad = 0;
for (const f of files) {
  try {
    const r = await mermaid.parse(readFileSync(f, "utf8"));
    if (!r || r.diagramType !== "sequence") throw new Error("not a sequence diagram: " + JSON.stringify(r));
  } catch (e) {
    bad++;
    console.error(`✗ ${f}: ${String(e.message || e).split("\n").slice(0, 4).join(" | ")}`);
  }
}
console.log(`mermaid-check: ${files.length - bad} of ${files.length} diagrams parse`);
process.exit(bad ? 1 : 0);
