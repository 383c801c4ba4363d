/**
 * What a hostile string must not do where the suite writes it (issue 17, cases 9 to 13; OWASP
 * output encoding: escape for the place it lands). Each function returns the problems it finds.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Characters a terminal acts on: C0 controls but tab and line ends, DEL, C1 controls (CSI among them). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const TERMINAL_CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]/;
/** In a file: C0 controls but tab and line ends (ESC, NUL, BEL: what `cat` of a report would act on). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const FILE_CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

const shown = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function around(text: string, at: number): string {
  return JSON.stringify(text.slice(Math.max(0, at - 40), at + 40));
}

export function rawControls(text: string, where: string, controls = TERMINAL_CONTROLS): string[] {
  const m = controls.exec(text);
  return m ? [`${where}: a raw control character ${shown(m[0])} near ${around(text, m.index)}`] : [];
}

/** Markdown with its code (fenced blocks and inline code spans) left out: what a renderer reads as markup. */
export function markdownOutsideCode(md: string): string {
  const withoutFences = md.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  // An inline code span: a run of backticks, then text up to a run of the same length (CommonMark 6.1).
  return withoutFences.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
}

/** Markup, links and line breaks a hostile string must not smuggle into conformance.md. */
export function markdownInjection(md: string): string[] {
  const text = markdownOutsideCode(md);
  const problems: string[] = [];
  for (const [pattern, what] of [[/<h1/i, 'an <h1> element'], [/<img/i, 'an <img> element'], [/<\/?script/i, 'a script tag'], [/\]\(\s*javascript:/i, 'a javascript: link']] as const) {
    const m = pattern.exec(text);
    if (m) problems.push(`conformance.md: ${what} outside code, near ${around(text, m.index)}`);
  }
  const heading = /^\s{0,3}#+ INJECTED/m.exec(text);
  if (heading) problems.push(`conformance.md: a line break in target text made a heading: ${around(text, heading.index)}`);
  return [...problems, ...rawControls(md, 'conformance.md', FILE_CONTROLS)];
}

/** Characters XML 1.0 forbids (production Char), raw or as character references. */
export function xmlForbidden(xml: string): string[] {
  const problems: string[] = [];
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 allows, control characters among them
  const raw = /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(xml);
  if (raw) problems.push(`junit.xml: ${shown(raw[0])}, which XML 1.0 forbids, near ${around(xml, raw.index)}`);
  for (const m of xml.matchAll(/&#(x[0-9a-f]+|[0-9]+);/gi)) {
    const code = m[1][0].toLowerCase() === 'x' ? parseInt(m[1].slice(1), 16) : Number(m[1]);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) {
      problems.push(`junit.xml: the character reference ${m[0]}, which XML 1.0 forbids`);
      break;
    }
  }
  for (const element of ['<h1', '<img', '<script']) if (xml.toLowerCase().includes(element)) problems.push(`junit.xml: an unescaped ${element}> element`);
  return problems;
}

/** An HTML page with its <script> elements left out: where markup would be parsed. */
function htmlOutsideScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '');
}

export function htmlInjection(html: string, implementationName: string): string[] {
  const problems: string[] = [];
  const doctypes = html.match(/<!doctype/gi)?.length ?? 0;
  if (doctypes !== 1) problems.push(`cucumber.html: ${doctypes} <!DOCTYPE> declarations (a replace pattern copied the page into itself?)`);
  const outside = htmlOutsideScripts(html);
  for (const [pattern, what] of [[/<h1>injected/i, 'an <h1> element'], [/<img src=x/i, 'an <img> element']] as const) {
    const m = pattern.exec(outside);
    if (m) problems.push(`cucumber.html: ${what} from the target outside scripts, near ${around(outside, m.index)}`);
  }
  const escapedName = [implementationName, implementationName.replace(/`/g, '&#96;'), implementationName.replace(/`/g, '&#x60;')];
  if (!escapedName.some((n) => html.includes(n))) problems.push(`cucumber.html: the implementation name ${JSON.stringify(implementationName)} does not appear as given`);
  // Scripts are left out: the page's own bundle holds such characters, and cucumber's messages are JSON in them.
  return [...problems, ...rawControls(outside, 'cucumber.html outside its scripts', FILE_CONTROLS)];
}

/** Every file under a folder (the run's reports and whatever it keeps beside them). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where `secret` (or a long enough piece of it) appears: the files under `dir`, and the console. */
export function secretLeaks(secret: string, dir: string, consoleText: string): string[] {
  const pieces = [secret, secret.slice(-24), secret.slice(13, 37)];
  const leaks = (text: string) => pieces.some((p) => text.includes(p));
  return [
    ...filesUnder(dir).filter((f) => leaks(readFileSync(f, 'latin1'))).map((f) => `the session token is in ${f.slice(dir.length + 1)}`),
    ...(leaks(consoleText) ? ['the session token is on the console'] : []),
  ];
}
