/**
 * What the tests read in conformance.md, the way a CommonMark/GFM renderer would: fenced code
 * blocks (closed only by a fence at least as long), backslash escapes, table rows and their cells.
 */

/** The document split into prose lines and fenced blocks; throws if a fence is never closed. */
export function splitFences(md: string): { prose: string[]; blocks: string[] } {
  const prose: string[] = [];
  const blocks: string[] = [];
  let open: string | undefined;
  let block: string[] = [];
  for (const line of md.split('\n')) {
    if (open === undefined) {
      const m = /^ {0,3}(`{3,})[^`]*$/.exec(line);
      if (m) [open, block] = [m[1], []];
      else prose.push(line);
    } else if (new RegExp(`^ {0,3}\`{${open.length},}\\s*$`).test(line)) {
      blocks.push(block.join('\n'));
      open = undefined;
    } else block.push(line);
  }
  if (open !== undefined) throw new Error(`a fence ${open} is never closed`);
  return { prose, blocks };
}

/** A prose line with its backslash-escaped punctuation taken out: what is left is markdown syntax. */
export function unescaped(line: string): string {
  return line.replace(/\\[!-/:-@[-`{-~]/g, '');
}

/** The cells of a table row: split at the pipes that are not escaped. */
export function cells(row: string): string[] {
  const parts = row.trim().split(/(?<!\\)\|/);
  return parts.slice(1, -1).map((c) => c.trim());
}

/** The rows of the table whose header row starts with `| first |`, each as its cells (header excluded). */
export function table(md: string, first: string): string[][] {
  const { prose } = splitFences(md);
  const start = prose.findIndex((l) => cells(l)[0] === first && l.startsWith('|'));
  if (start < 0) throw new Error(`no table headed "${first}"`);
  const width = cells(prose[start]).length;
  const rows: string[][] = [];
  for (const line of prose.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const row = cells(line);
    if (row.length !== width) throw new Error(`a row of ${row.length} cells in a table of ${width}: ${line}`);
    rows.push(row);
  }
  return rows;
}
