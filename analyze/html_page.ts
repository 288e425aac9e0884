/**
 * The pieces of a self-contained HTML page: escaping, the page shell with a
 * Content-Security-Policy that forbids every fetch (so the page cannot reach
 * the network even by mistake), tables, and writing the file atomically.
 * Used by the analyzer's `--html` report and the bench page.
 *
 * @module
 */

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

/** Shortens `s` to at most `max` characters, marking the cut with "…". */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}

/** A cell that is already HTML (not escaped by {@link htmlTable}). */
export interface RawCell {
  /** The cell's HTML. */
  html: string;
}

/** A table cell: text (escaped), a number (right-aligned) or raw HTML. */
export type Cell = string | number | RawCell;

/** Options for {@link htmlTable}. */
export interface TableOptions {
  /** The table's caption. */
  caption?: string;
  /** The table's id. */
  id?: string;
  /** Digits after the point for numbers that are not whole (default 2). */
  digits?: number;
}

/** Formats a number for a table: whole numbers with thin groups, others to `digits`. */
export function num(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return "–";
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return v.toFixed(digits);
}

/** Text that reads as a figure (right-aligned like numbers): "1.39x", "15.0%", "–". */
const NUMERIC = /^(?:[-+]?[\d,]+(?:\.\d+)?(?:x|%)?|–)$/;

/** An HTML table; numbers, and text that reads as a figure, are right-aligned. */
export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const cell = (c: Cell, tag: string) =>
    typeof c === "number"
      ? `<${tag} class="n">${num(c, options.digits)}</${tag}>`
      : typeof c === "string"
      ? `<${tag}${NUMERIC.test(c) ? ' class="n"' : ""}>${esc(c)}</${tag}>`
      : `<${tag}>${c.html}</${tag}>`;
  return [
    `<table${options.id ? ` id="${esc(options.id)}"` : ""}>`,
    options.caption ? `<caption>${esc(options.caption)}</caption>` : "",
    `<thead><tr>${
      head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")
    }</tr></thead>`,
    `<tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => cell(c, "td")).join("")}</tr>`),
    `</tbody></table>`,
  ].join("\n");
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  margin: 0 auto; padding: 16px 24px 48px; max-width: 1180px; color: #222; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
p.lead, .note { color: #555; margin: 4px 0 8px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
caption { text-align: left; color: #555; padding-bottom: 3px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
pre { margin: 0; white-space: pre; }
details { margin: 4px 0 10px; }
summary { cursor: pointer; color: #36c; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, sans-serif; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 6px 12px; flex: 1 1 130px; color: #555; font-size: 13px; }
.card b { display: block; font-size: 20px; color: #222; }
.tb { border: 1px solid #ddd; border-radius: 6px; padding: 6px 10px; margin: 10px 0; }
.tb h3 { margin: 2px 0 6px; }
.cols { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 0.8fr) minmax(0, 1.3fr); gap: 14px; }
.cols pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.cols2 { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 28px; }
.cols2 h4 { margin: 2px 0 3px; font-size: 13px; color: #555; }
.cols2 pre { white-space: pre-wrap; overflow-wrap: anywhere; }
table.asm { margin: 0; font-size: 12px; }
table.asm th { font: 600 13px system-ui, sans-serif; color: #555; }
table.asm td { white-space: pre; padding: 1px 10px 1px 0; }
.cols h4 { margin: 0 0 3px; font-size: 13px; color: #555; }
.fused { color: #1b7a3e; font-weight: 600; }
.omitted li { color: #555; }
`;

/**
 * A whole page: `<!doctype html>`, a CSP that allows no fetch of any kind
 * (inline styles and SVG only, no scripts), the title and `body`.
 */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * Writes `text` to `path` through a temporary file beside it and a rename,
 * so that a reader never sees half a file and a failure leaves none.
 * Throws one line naming the file (`what` says what kind, e.g. "HTML file").
 */
export async function writeTextAtomically(
  path: string,
  text: string,
  what = "file",
): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(
      `Cannot write ${what} "${path}": ${(e as Error).message.split("\n")[0]}`,
    );
  }
}
