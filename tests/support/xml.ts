/**
 * A strict XML 1.0 well-formedness parser for the tests (the productions junit.xml can use: the XML
 * declaration, elements, attributes, character data, references, comments, CDATA and processing
 * instructions; no DTD), returning the element tree. And xmllint's verdict, where it is installed.
 */
import { spawnSync } from 'node:child_process';

export interface XmlElement { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string }

/** XML 1.0's Char production, as code points. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9._:]*/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

class XmlError extends Error {}

/** Character data or an attribute value with its references resolved; `<` (and `]]>` in content) refused. */
function resolveReferences(raw: string, inAttribute: boolean): string {
  if (raw.includes('<')) throw new XmlError(`"<" in ${inAttribute ? 'an attribute value' : 'character data'}`);
  if (!inAttribute && raw.includes(']]>')) throw new XmlError('"]]>" in character data');
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError('a bare "&"');
    if (ref in PREDEFINED) return PREDEFINED[ref];
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new XmlError(`an undeclared entity &${ref};`);
    const cp = m[1] ? parseInt(m[1], 16) : parseInt(m[2], 10);
    if (!isXmlChar(cp)) throw new XmlError(`a reference to a character XML 1.0 forbids: &${ref};`);
    return String.fromCodePoint(cp);
  });
}

/** Parses `xml`, throwing on the first thing that makes it not well-formed XML 1.0. */
export function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const cp = ch.codePointAt(0)!;
    if (!isXmlChar(cp)) throw new XmlError(`a character XML 1.0 forbids: U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  let i = 0;
  const rest = () => xml.slice(i);
  const skipSpace = () => { while (/[ \t\r\n]/.test(xml[i] ?? '')) i++; };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (rest().startsWith('<!--')) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0 || xml.slice(i + 4, end).includes('--')) throw new XmlError('a malformed comment');
        i = end + 3;
      } else if (rest().startsWith('<?')) {
        const end = xml.indexOf('?>', i);
        if (end < 0) throw new XmlError('an unterminated processing instruction');
        i = end + 2;
      } else return;
    }
  };
  if (rest().startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (!/^<\?xml version="1\.0"( encoding="[A-Za-z][-A-Za-z0-9._]*")?( standalone="(yes|no)")? ?\?>$/.test(xml.slice(0, end + 2))) throw new XmlError('a malformed XML declaration');
    i = end + 2;
  }
  skipMisc();

  const element = (): XmlElement => {
    if (xml[i] !== '<') throw new XmlError(`an element expected at ${i}`);
    i++;
    const name = NAME.exec(rest())?.[0];
    if (!name) throw new XmlError(`a malformed tag name at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (rest().startsWith('/>')) { i += 2; return el; }
      if (xml[i] === '>') { i++; break; }
      if (i === before) throw new XmlError(`no space before an attribute of <${name}>`);
      const attr = NAME.exec(rest())?.[0];
      if (!attr) throw new XmlError(`a malformed attribute in <${name}>`);
      i += attr.length;
      skipSpace();
      if (xml[i] !== '=') throw new XmlError(`no "=" after ${attr}`);
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") throw new XmlError(`an unquoted value of ${attr}`);
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) throw new XmlError(`an unterminated value of ${attr}`);
      if (attr in el.attributes) throw new XmlError(`attribute ${attr} twice in <${name}>`);
      el.attributes[attr] = resolveReferences(xml.slice(i + 1, end), true);
      i = end + 1;
    }
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) throw new XmlError(`<${name}> is never closed`);
      el.text += resolveReferences(xml.slice(i, next), false);
      i = next;
      if (rest().startsWith('</')) {
        i += 2;
        if (!rest().startsWith(name) || !/^[ \t\r\n]*>/.test(xml.slice(i + name.length))) throw new XmlError(`</${name}> expected at ${i}`);
        i = xml.indexOf('>', i) + 1;
        return el;
      }
      if (rest().startsWith('<![CDATA[')) {
        const end = xml.indexOf(']]>', i);
        if (end < 0) throw new XmlError('an unterminated CDATA section');
        el.text += xml.slice(i + 9, end);
        i = end + 3;
      } else if (rest().startsWith('<!--') || rest().startsWith('<?')) skipMisc();
      else el.children.push(element());
    }
  };
  const root = element();
  skipMisc();
  if (i !== xml.length) throw new XmlError(`content after the root element at ${i}`);
  return root;
}

/** Every element named `name` below (and including) `el`. */
export function elements(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => elements(c, name))];
}

/** xmllint's complaint about `xml`, '' when it has none, or undefined when xmllint is not installed. */
export function xmllint(xml: string): string | undefined {
  const run = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  if (run.error) return undefined;
  return run.status === 0 ? '' : run.stderr || `exit ${run.status}`;
}
