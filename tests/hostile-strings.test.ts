/**
 * Output that a hostile string cannot steer (issue 17, cases 9-12): each injection string, put into
 * every piece of target-supplied text of a report, reaches each format only as data.
 * - console: no raw control, format or non-character, and the string still visible as escapes;
 * - conformance.md: no raw HTML, link, image or code span outside fenced blocks, every fence closed,
 *   the same headings, lists and table rows as without the string;
 * - junit.xml: well-formed XML 1.0 (a strict parser here, and xmllint where installed), same counts;
 * - the HTML banner: only its own tags and attributes, and the page's head never copied into it.
 *   npm run test:unit
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closingLine, consoleSummary, htmlBanner, toJUnit, toMarkdown, withHtmlBanner } from '../src/report';
import { findingBlock, notShownBlock } from '../src/report/markdown';
import { fromClosingLine, fromJUnitProperties, fromMarkdown, junitSuite } from './support/formats';
import { splitFences, table, unescaped } from './support/markdown';
import { sampleReport, taint } from './support/sample-report';
import { elements, parseXml, xmllint } from './support/xml';

/** Each injection string, and how a terminal must show (part of) it. */
const HOSTILE: { name: string; text: string; visible?: string }[] = [
  { name: 'ESC[2J (clear screen) and a colour', text: '\u001b[2J\u001b[31mred', visible: '\\x1b[2J\\x1b[31mred' },
  { name: 'an OSC 8 hyperlink', text: '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007', visible: '\\x1b]8;;https://evil.example/\\x07click' },
  { name: 'NUL', text: 'a\u0000b', visible: 'a\\x00b' },
  { name: 'U+FFFE and U+FFFF', text: 'x\ufffe\uffffy', visible: 'x\\ufffe\\uffffy' },
  { name: 'unpaired surrogates', text: 'p\ud800q\udc00r', visible: 'p\\ud800q\\udc00r' },
  { name: 'a C1 CSI and a bidi override', text: '\u009b2J\u202eevil', visible: '\\x9b2J\\u202eevil' },
  { name: 'a __type with newlines carrying <h1> and <img onerror>', text: 'InvalidInputException\n| x | y |\n<h1>pwned</h1>\n<img src=x onerror=alert(1)>', visible: 'InvalidInputException\\n| x | y |\\n<h1>pwned</h1>' },
  { name: 'a javascript link', text: '[x](javascript:alert(1))' },
  { name: 'an image and an autolink', text: '![x](javascript:alert(1)) <javascript:alert(1)>' },
  { name: 'replacement patterns', text: "impl$`$'$&$1" },
  { name: 'a fence and a heading', text: '\n```\n# out of the fence\n````\n<script>alert(1)</script>\n' },
  { name: 'entities and emphasis', text: '&lt;script&gt; **bold** _em_ `code`' },
  { name: 'block markers', text: '\n- item\n1. one\n> quote\n---' },
];

/** What a terminal, a markdown viewer or an XML reader must never receive raw. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const STEERING = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const clean = sampleReport();

/** The kind of each prose line of a markdown document: what a renderer makes of it. */
function shape(md: string): string[] {
  return splitFences(md).prose.map((line) => {
    if (!line.trim()) return 'blank';
    if (/^#{1,6} /.test(line)) return `heading ${line.split(' ')[0]}`;
    if (/^[-+*] /.test(line)) return 'list item';
    if (line.startsWith('|')) return `table row of ${line.split(/(?<!\\)\|/).length - 2}`;
    return 'paragraph';
  });
}

const BANNER_TAGS = new Set(['section', 'h1', 'span', 'p', 'strong', 'table', 'tr', 'th', 'td', 'details', 'summary', 'ul', 'li', 'code']);
const BANNER_ATTRIBUTE = /^(id|style|cellpadding|open|data-[a-z-]+)$/;

/** Every tag of the banner is one of its own, with its own attributes; text between tags holds no markup. */
function assertBannerIsOurs(banner: string): void {
  for (const m of banner.matchAll(/<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/g)) {
    assert.ok(BANNER_TAGS.has(m[2]), `a foreign tag <${m[2]}>`);
    for (const a of m[3].matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      assert.match(a[1], BANNER_ATTRIBUTE, `a foreign attribute ${a[1]}`);
      assert.doesNotMatch(a[2] ?? '', /javascript:/i);
    }
  }
  const text = banner.replace(/<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/g, '');
  assert.doesNotMatch(text, /[<>]/, 'markup outside the banner tags');
  assert.doesNotMatch(banner, STEERING);
}

for (const hostile of HOSTILE) {
  describe(`hostile text: ${hostile.name}`, () => {
    const report = taint(sampleReport(), hostile.text);

    test('the console shows it escaped, one line each, the closing line last and parseable', () => {
      const lines = [...consoleSummary(report), ...consoleSummary(report, { quiet: true }), closingLine(report)];
      for (const line of lines) {
        assert.doesNotMatch(line, STEERING, line);
        assert.doesNotMatch(line, /[\n\r\t]/, line);
      }
      if (hostile.visible) assert.ok(lines.some((l) => l.includes(hostile.visible!)), `shown as ${hostile.visible}`);
      assert.deepEqual(fromClosingLine(closingLine(report)).requirements, clean.summary.requirements);
    });

    test('conformance.md keeps its structure: no raw HTML, link, image or code span, every fence closed', () => {
      const md = toMarkdown(report);
      assert.deepEqual(shape(md), shape(toMarkdown(clean)));
      for (const line of splitFences(md).prose) {
        const syntax = unescaped(line);
        assert.doesNotMatch(syntax, /[<>[\]`]/, `markup from the target in: ${line}`);
        assert.doesNotMatch(line, STEERING, line);
      }
      assert.equal(table(md, 'Requirement').length, clean.requirements.length);
      assert.deepEqual(fromMarkdown(md).requirements, clean.summary.requirements);
    });

    test("a scenario's evidence attachment (the same markdown) carries no raw HTML, link or code span either", () => {
      const finding = report.requirements[0].findings[0];
      const attachment = [...findingBlock(finding), ...notShownBlock('target', hostile.text, finding.evidence)].join('\n');
      for (const line of splitFences(attachment).prose) {
        assert.doesNotMatch(unescaped(line), /[<>[\]`]/, line);
        assert.doesNotMatch(line, STEERING, line);
      }
    });

    test('junit.xml is well-formed XML 1.0 with the same counts, and carries the text as text', () => {
      const xml = toJUnit(report);
      const root = parseXml(xml);
      const lint = xmllint(xml);
      assert.ok(lint === undefined || lint === '', `xmllint: ${lint}`);
      assert.deepEqual(fromJUnitProperties(xml), fromJUnitProperties(toJUnit(clean)));
      assert.deepEqual(junitSuite(xml).attributes.tests, junitSuite(toJUnit(clean)).attributes.tests);
      if (hostile.text.includes('<h1>')) {
        const failure = elements(root, 'failure')[0];
        assert.ok(failure.text.includes('<h1>pwned</h1>'), 'the markup is text in the failure body');
      }
    });

    test('the HTML banner holds only its own markup, and the page head is not copied into it', () => {
      const head = '<!DOCTYPE html>\n<html lang="en">\n<head>\n\t<title>Cucumber</title>\n\t<style>body{}</style>\n</head>\n<body>';
      const tail = '\n<div id="content">\n</div>\n<script>window.CUCUMBER_MESSAGES = [];</script>\n</body>\n</html>';
      const html = withHtmlBanner(head + tail, report);
      const banner = htmlBanner(report);
      assert.equal(html, head + banner + tail);
      assert.equal(html.split('<head>').length, 2, 'one head');
      assertBannerIsOurs(banner);
    });
  });
}
