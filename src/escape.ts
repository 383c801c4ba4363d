/**
 * Escaping of text that came from a target (job names, messages, error types, bodies, the
 * implementation's name), for each place it lands: a terminal, markdown, XML 1.0, HTML. Every
 * renderer of the report uses these and nothing else, so a hostile string is data everywhere.
 *
 * Characters that can steer a reader are never written raw; they are shown as visible escapes
 * (`\x1b`, `\u202e`), so the reader still sees that they were there:
 * - C0 controls and DEL (ESC starts terminal sequences, NUL truncates, CR rewrites the line);
 * - C1 controls (U+0080–U+009F: CSI and OSC of 8-bit terminals);
 * - bidi and invisible format characters (U+061C, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF),
 *   and the line and paragraph separators U+2028/U+2029;
 * - U+FFFE, U+FFFF and unpaired surrogates (not characters; XML 1.0 forbids them).
 *
 * None of the escapes touches letters, digits, `+`, `/` or `=`: a credential echoed by a target
 * stays one literal string after escaping, so redaction (src/redact.ts) still finds it.
 */

/** Everything shown as a visible escape, but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const STEERING = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The same, with tab, line feed and carriage return: for text that must stay on one line. */
const STEERING_OR_BREAK = new RegExp(`[\\t\\n\\r]|${STEERING.source}`, 'g');

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `\x1b`, `\u202e`: a character as the escape a reader can see. */
function visible(ch: string): string {
  if (NAMED[ch]) return NAMED[ch];
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text on one line, every control, format or non-character shown as a visible escape. */
export function oneLine(text: string): string {
  return text.replace(STEERING_OR_BREAK, visible);
}

/** Text that may keep its lines (and tabs), every other control shown as a visible escape; CRLF becomes LF. */
export function keepLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\r/g, '\\r').replace(STEERING, visible);
}

/** For a terminal: one line, nothing a terminal would act on (ESC, OSC 8 links, NUL, C1, bidi overrides). */
export const terminal = oneLine;

/** Markdown's inline syntax: escaped with a backslash wherever it stands. */
const MARKDOWN_INLINE = /[\\`*_|~!]/g;
/**
 * What makes raw HTML, links and entities: written as HTML character references, which every
 * markdown renderer shows as the character and none reads as markup (a backslash escape is
 * CommonMark's, not every renderer's).
 */
const MARKDOWN_MARKUP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '[': '&#91;', ']': '&#93;' };
/** What opens a block at the start of a line (heading, list item, rule, setext underline); quotes are inline-escaped. */
const MARKDOWN_BLOCK_START = /^(\s*)(#{1,6}(?=\s|$)|[-+](?=\s|$)|\d{1,9}[.)](?=\s|$)|[-=]+\s*$)/;

/** `1.` → `1\.`, `#` → `\#`: the block marker as text. */
const escapeMarker = (mark: string): string => (/^\d/.test(mark) ? `${mark.slice(0, -1)}\\${mark.slice(-1)}` : `\\${mark}`);

/**
 * For a markdown table cell or list item: one line, no link, image, raw HTML, emphasis or code
 * span, no `|` that would split a cell, no block syntax at its start.
 */
export function markdownText(text: string): string {
  const inline = text.replace(/[&<>[\]]/g, (c) => MARKDOWN_MARKUP[c]).replace(MARKDOWN_INLINE, (c) => `\\${c}`);
  const block = inline.replace(MARKDOWN_BLOCK_START, (_, space: string, mark: string) => `${space}${escapeMarker(mark)}`);
  // After the backslashes: a visible escape (`\x1b`, `\n`) is a backslash before a letter, which markdown shows as it is.
  return oneLine(block);
}

/**
 * A fenced markdown code block whose fence the content cannot close: the fence is longer than any
 * run of backticks in it. The language is ours, never the target's.
 */
export function markdownFence(text: string, language = ''): string {
  const body = keepLines(text);
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * For XML 1.0 character data (element content): no character XML 1.0 forbids (those and the other
 * steering characters become visible escapes), `&`, `<` and `>` as entities; lines and quotes kept.
 */
export function xmlText(text: string): string {
  return keepLines(text).replace(/[&<>]/g, (c) => XML_ENTITIES[c]);
}

/** For an XML attribute value: as element content, and on one line (a parser would fold the line breaks). */
export function xmlAttribute(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const HTML_ENTITIES: Record<string, string> = { ...XML_ENTITIES, "'": '&#39;' };

/** For HTML text and quoted attribute values: one line, no tag, no entity, no quote that ends an attribute. */
export function htmlText(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}
