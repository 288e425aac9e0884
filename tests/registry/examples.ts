/**
 * Extracting the runnable code of the documentation: the `@example` blocks
 * of the packages' modules and the README's snippets, so that the
 * registry test can run them from an empty folder against the published
 * packages.
 *
 * @module
 */

/** One code block, and where it came from. */
export interface CodeBlock {
  /** The file it is in, relative to the repository. */
  readonly file: string;
  /** The line its code starts on (1-based). */
  readonly line: number;
  /** The code. */
  readonly code: string;
}

/**
 * The TypeScript code blocks of the JSDoc comments in `text` (a module),
 * without those marked `ignore`.
 */
export function docExamples(file: string, text: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const open = lines[k].match(/^\s*\*\s?```(ts|typescript)\b(.*)$/);
    if (!open) continue;
    const skip = /\bignore\b/.test(open[2]);
    const body: string[] = [];
    const start = k + 2;
    for (k++; k < lines.length && !/^\s*\*\s?```\s*$/.test(lines[k]); k++) {
      body.push(lines[k].replace(/^\s*\*\s?/, ""));
    }
    if (!skip) out.push({ file, line: start, code: body.join("\n") + "\n" });
  }
  return out;
}

/**
 * The code blocks of language `lang` in a Markdown text, with or without
 * attributes (a README marks its `jsr:` snippets `ignore`, so that
 * `deno test --doc` in the repository, which cannot reach the registry,
 * passes them over; the registry test runs them).
 */
export function markdownBlocks(
  file: string,
  text: string,
  lang: string,
): CodeBlock[] {
  const out: CodeBlock[] = [];
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const info = lines[k].trim();
    if (info !== "```" + lang && !info.startsWith("```" + lang + " ")) continue;
    const start = k + 2;
    const body: string[] = [];
    for (k++; k < lines.length && lines[k].trim() !== "```"; k++) {
      body.push(lines[k]);
    }
    out.push({ file, line: start, code: body.join("\n") + "\n" });
  }
  return out;
}

/** Imports of the oplet packages by bare name, made `jsr:` specifiers. */
export function toJsr(code: string): string {
  return code.replace(/(["'])(@oplet\/[a-z]+(?:\/[a-z]+)?)\1/g, "$1jsr:$2$1");
}
