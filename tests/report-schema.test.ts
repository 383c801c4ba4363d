/**
 * report/conformance.schema.json is src/report/types.ts ConformanceReport, exactly: walked together
 * with the TypeScript compiler, every member on both sides, which are required, their types, enums
 * and constants, down to the findings and their evidence. And tools/check-report.ts refuses a report
 * that matches the schema but contradicts itself.
 *   npm run test:unit
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ROOT } from '../src/paths';
import { checkReport, inconsistencies } from '../tools/check-report';
import { sampleReport } from './support/sample-report';

type Schema = { $ref?: string; type?: string | string[]; enum?: unknown[]; const?: unknown; properties?: Record<string, Schema>; required?: string[]; additionalProperties?: boolean; items?: Schema };

const schema = JSON.parse(readFileSync(join(ROOT, 'report', 'conformance.schema.json'), 'utf8')) as Schema & { $defs: Record<string, Schema> };
const resolve = (s: Schema): Schema => (s.$ref ? resolve(schema.$defs[s.$ref.replace('#/$defs/', '')]) : s);
const jsonTypes = (s: Schema) => new Set(s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** Where the TypeScript type and the schema disagree, as "path: what". */
function compare(checker: ts.TypeChecker, type: ts.Type, given: Schema, path: string): string[] {
  const s = resolve(given);
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & ts.TypeFlags.Undefined));
  const nullable = parts.some((t) => t.flags & ts.TypeFlags.Null);
  const rest = parts.filter((t) => !(t.flags & ts.TypeFlags.Null));
  const types = jsonTypes(s);
  if (nullable !== types.has('null')) return [`${path}: null ${nullable ? 'allowed by the type' : 'allowed by the schema'} only`];
  if (rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return types.has('boolean') ? [] : [`${path}: boolean in the type`];
  if (rest.every((t) => t.isStringLiteral())) {
    const values = rest.map((t) => t.value).sort();
    const allowed = (s.const !== undefined ? [s.const] : s.enum ?? []).map(String).sort();
    return values.join('|') === allowed.join('|') ? [] : [`${path}: ${values.join('|')} in the type, ${allowed.join('|') || JSON.stringify(s.type)} in the schema`];
  }
  if (rest.length !== 1) return [`${path}: a union the test cannot compare`];
  const t = rest[0];
  if (t.flags & ts.TypeFlags.String) return types.has('string') ? [] : [`${path}: string in the type`];
  if (t.flags & ts.TypeFlags.Number) return types.has('number') || types.has('integer') ? [] : [`${path}: number in the type`];
  if (checker.isArrayType(t)) {
    if (!types.has('array') || !s.items) return [`${path}: an array in the type`];
    return compare(checker, checker.getTypeArguments(t as ts.TypeReference)[0], s.items, `${path}[]`);
  }
  if (!types.has('object') && !s.properties) return [`${path}: an object in the type`];
  const problems: string[] = [];
  if (s.additionalProperties !== false) problems.push(`${path}: the schema allows members the type does not have`);
  const props = checker.getPropertiesOfType(t);
  const inSchema = Object.keys(s.properties ?? {});
  for (const name of inSchema) if (!props.some((p) => p.name === name)) problems.push(`${path}.${name}: in the schema only`);
  for (const p of props) {
    const member = s.properties?.[p.name];
    if (!member) {
      problems.push(`${path}.${p.name}: in the type only`);
      continue;
    }
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
    if (optional === (s.required ?? []).includes(p.name)) problems.push(`${path}.${p.name}: ${optional ? 'optional in the type, required' : 'required in the type, optional'} in the schema`);
    problems.push(...compare(checker, checker.getTypeOfSymbol(p), member, `${path}.${p.name}`));
  }
  return problems;
}

test('the schema holds exactly the members, required members, types and enums of ConformanceReport', () => {
  const file = join(ROOT, 'src', 'report', 'types.ts');
  const program = ts.createProgram([file], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true, types: [], skipLibCheck: true });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!);
  const report = exports.find((e) => e.name === 'ConformanceReport')!;
  assert.deepEqual(compare(checker, checker.getDeclaredTypeOfSymbol(report), schema, 'ConformanceReport'), []);
});

test('the schema refuses a report without an implementation, of another apiVersion, or with a member it does not know', () => {
  const report = JSON.parse(JSON.stringify(sampleReport())) as Record<string, unknown>;
  assert.deepEqual(checkReport(report), []);
  const { implementation: _, ...withoutImplementation } = report;
  assert.notDeepEqual(checkReport(withoutImplementation), []);
  assert.notDeepEqual(checkReport({ ...report, apiVersion: 'personalize-conformance/v1' }), []);
  const extra = JSON.parse(JSON.stringify(sampleReport())) as { requirements: { findings: { evidence: Record<string, unknown>[] }[] }[] };
  extra.requirements[0].findings[0].evidence[0].headers = {};
  assert.notDeepEqual(checkReport(extra), []);
});

test('check-report refuses a report whose counts, lists, verdict or order contradict its classes', () => {
  const miscounted = sampleReport();
  miscounted.summary.scenarios['failed (MUST)'] = 0;
  assert.match(inconsistencies(miscounted).join('\n'), /summary\.scenarios\["failed \(MUST\)"\] is 0, the scenarios hold 1/);
  const lenient = sampleReport();
  lenient.verdict = 'conformant';
  assert.match(inconsistencies(lenient).join('\n'), /verdict is "conformant", its classes make it "not conformant"/);
  const unordered = sampleReport();
  unordered.requirements.reverse();
  assert.match(inconsistencies(unordered).join('\n'), /not in the table's order/);
  const bare = sampleReport();
  bare.requirements[0].findings = [];
  assert.match(inconsistencies(bare).join('\n'), /LDIJ-PAGE-002 is failed \(MUST\) without a finding/);
  const lists = sampleReport();
  lists.summary.mustNotShown = [];
  assert.match(inconsistencies(lists).join('\n'), /mustNotShown/);
});
