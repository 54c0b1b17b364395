/**
 * renderReport: the analyze report as ONE self-contained HTML file. uPlot
 * (https://github.com/leeoniya/uPlot, MIT; ~50 KB minified: canvas charts
 * with drag-to-zoom and synced cursors) and its CSS, the page script and the
 * data are all inline, and a Content-Security-Policy forbids every network
 * fetch, so the file opens offline and can be mailed or attached to a ticket.
 * The data is embedded as JSON in a non-executed script element with `<`
 * escaped, so log text cannot close the element.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './data.js';
import { PAGE_SCRIPT } from './page_script.js';

const require = createRequire(import.meta.url);

let uplot: { js: string; css: string } | undefined;

function uplotAssets(): { js: string; css: string } {
  uplot ??= {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return uplot;
}

/** JSON safe inside a <script> element: no `</script>`, no `<!--`, no line separators that older parsers choke on. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function inlineScript(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 5; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header nav a { margin-right: 14px; color: #3a7bd5; text-decoration: none; }
#summary { color: var(--muted); }
main { padding: 8px 24px 48px; max-width: 1400px; }
h2 { margin: 28px 0 8px; font-size: 17px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 16px 0 6px; font-size: 14px; }
.intro, .note { color: var(--muted); margin: 4px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: #f5f7fa; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.current td { font-weight: 600; }
code, .evidence li { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.evidence { margin: 4px 0 0; padding-left: 18px; color: #3e4c59; }
.badge { display: inline-block; color: #fff; border-radius: 3px; padding: 0 6px; font-size: 12px; font-weight: 600; }
.chart { margin: 8px 0 16px; position: relative; }
.chart h3 { margin: 4px 0; font-weight: 500; }
.markers { position: absolute; inset: 0; pointer-events: none; }
.marker { position: absolute; top: 0; width: 0; height: 0; margin-left: -7px; border-left: 7px solid transparent; border-right: 7px solid transparent; border-top: 12px solid #d7301f; cursor: pointer; pointer-events: auto; }
.marker::after { content: ""; position: absolute; left: -1px; top: 0; width: 2px; height: 150px; background: currentColor; opacity: .15; }
.marker:focus { outline: 2px solid #3a7bd5; }
#tip { display: none; position: fixed; z-index: 20; max-width: 560px; background: #fff; border: 1px solid #cbd2d9; border-radius: 4px; box-shadow: 0 4px 14px rgba(0,0,0,.15); padding: 8px 10px; pointer-events: none; }
#tip p { margin: 6px 0; }
select { margin-left: 8px; font: inherit; }
`;

export function renderReport(data: ReportData): string {
  const { js, css } = uplotAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1 id="title"></h1>
<div id="summary"></div>
<nav><a href="#timeline">Timeline</a><a href="#anomalies">Anomalies</a><a href="#templates">Templates</a><a href="#what-if">What if</a><a href="#quality">Data quality</a></nav>
</header>
<main id="main"></main>
<script id="report-data" type="application/json">${scriptSafeJson(data)}</script>
<script>${inlineScript(js)}</script>
<script>${inlineScript(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
