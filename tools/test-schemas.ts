/**
 * Runs the schema self-tests in schemas/tests/*.json (JSON-Schema-Test-Suite style) through the
 * same loader every other piece of code uses, lints the test files and the schema files, and checks
 * that the facts schemas/index.ts exports agree with what the validators accept.
 *
 *   npx ts-node tools/test-schemas.ts
 *
 * Prints one line per failure and a final "schema tests: N passed, N failed"; exits 1 on any failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  OPERATIONS,
  checkBody,
  checkErrorBody,
  checkShape,
  contractEdition,
  hasSchema,
  importJobStatuses,
  importModes,
  limits,
  matchesPattern,
  schemaFor,
  terminalImportJobStatuses,
  type BodyCheck,
  type Direction,
} from '../schemas';

const SCHEMAS_DIR = path.resolve(__dirname, '..', 'schemas');
const TESTS_DIR = path.join(SCHEMAS_DIR, 'tests');

interface TestCase {
  description: string;
  data: unknown;
  valid: boolean;
  /** When present: the exact JSON pointers checkBody must report as unknown members. */
  unknownMembers?: string[];
  comment?: string;
}
interface TestGroup {
  description: string;
  schema: string;
  tests: TestCase[];
  comment?: string;
}

const GROUP_KEYS = new Set(['description', 'schema', 'tests', 'comment']);
const CASE_KEYS = new Set(['description', 'data', 'valid', 'unknownMembers', 'comment']);

let passed = 0;
let failed = 0;
function pass(): void {
  passed += 1;
}
function fail(line: string): void {
  failed += 1;
  console.log(`FAIL ${line}`);
}
function expect(condition: boolean, line: string): void {
  if (condition) pass();
  else fail(line);
}

// ---------------------------------------------------------------------------
// Schema names used by the test files
// ---------------------------------------------------------------------------

type Checker = (data: unknown) => BodyCheck;

/** Maps "<Operation>.<direction>", "error" or "shape:<Def>" to a checker, or explains why it does not resolve. */
function checkerFor(schema: string): Checker | string {
  if (schema === 'error') return checkErrorBody;
  if (schema.startsWith('shape:')) {
    const def = schema.slice('shape:'.length);
    try {
      checkShape(def, null);
    } catch (error) {
      return (error as Error).message;
    }
    return (data) => checkShape(def, data);
  }
  const match = /^([A-Za-z]+)\.(request|response)$/.exec(schema);
  if (!match) return `"${schema}" is not "<Operation>.request|response", "error" or "shape:<Def>"`;
  const [, operation, direction] = match;
  if (!hasSchema(operation)) return `no schemas for operation "${operation}"`;
  return (data) => checkBody(operation, direction as Direction, data);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);
}

// ---------------------------------------------------------------------------
// The data-driven cases
// ---------------------------------------------------------------------------

const coveredSchemas = new Set<string>();

function runFile(file: string): void {
  const where = `tests/${file}`;
  let groups: TestGroup[];
  try {
    groups = JSON.parse(fs.readFileSync(path.join(TESTS_DIR, file), 'utf8')) as TestGroup[];
  } catch (error) {
    fail(`lint ${where}: not valid JSON (${(error as Error).message})`);
    return;
  }
  if (!Array.isArray(groups)) {
    fail(`lint ${where}: must be an array of groups`);
    return;
  }
  const groupDescriptions = new Set<string>();
  for (const group of groups) {
    const groupWhere = `${where} › ${group.description}`;
    for (const key of Object.keys(group)) if (!GROUP_KEYS.has(key)) fail(`lint ${groupWhere}: unexpected key "${key}"`);
    if (typeof group.description !== 'string' || group.description === '') fail(`lint ${where}: a group has no description`);
    if (groupDescriptions.has(group.description)) fail(`lint ${groupWhere}: duplicate group description in the file`);
    groupDescriptions.add(group.description);
    if (!Array.isArray(group.tests) || group.tests.length === 0) {
      fail(`lint ${groupWhere}: no tests`);
      continue;
    }
    if (!group.tests.some((c) => c.valid === true) || !group.tests.some((c) => c.valid === false)) {
      fail(`lint ${groupWhere}: needs at least one valid and one invalid case`);
    }
    const checker = checkerFor(group.schema);
    if (typeof checker === 'string') {
      fail(`lint ${groupWhere}: schema does not resolve: ${checker}`);
      continue;
    }
    coveredSchemas.add(group.schema);

    const caseDescriptions = new Set<string>();
    for (const testCase of group.tests) {
      const caseWhere = `${groupWhere} › ${testCase.description}`;
      for (const key of Object.keys(testCase)) if (!CASE_KEYS.has(key)) fail(`lint ${caseWhere}: unexpected key "${key}"`);
      if (typeof testCase.description !== 'string' || testCase.description === '') fail(`lint ${groupWhere}: a case has no description`);
      if (caseDescriptions.has(testCase.description)) fail(`lint ${caseWhere}: duplicate case description in the group`);
      caseDescriptions.add(testCase.description);
      if (!('data' in testCase)) fail(`lint ${caseWhere}: no data`);
      if (typeof testCase.valid !== 'boolean') {
        fail(`lint ${caseWhere}: "valid" must be true or false`);
        continue;
      }

      const result = checker(testCase.data);
      if (result.valid !== testCase.valid) {
        const detail = result.valid ? 'validated' : `errors: ${result.errors.join('; ')}`;
        fail(`${caseWhere}: expected ${testCase.valid ? 'valid' : 'invalid'} (${detail})`);
      } else if (testCase.unknownMembers && !sameList(result.unknownMembers, testCase.unknownMembers)) {
        fail(`${caseWhere}: unknownMembers ${JSON.stringify(result.unknownMembers)}, expected ${JSON.stringify(testCase.unknownMembers)}`);
      } else {
        pass();
      }
    }
  }
}

const testFiles = fs.readdirSync(TESTS_DIR).filter((name) => name.endsWith('.json')).sort();
if (testFiles.length === 0) fail(`lint: no test files in ${TESTS_DIR}`);
for (const file of testFiles) runFile(file);

// Every schema has cases.
for (const operation of OPERATIONS) {
  for (const direction of ['request', 'response']) {
    const name = `${operation}.${direction}`;
    if (!coveredSchemas.has(name)) fail(`lint: no test group for ${name}`);
  }
}
if (!coveredSchemas.has('error')) fail('lint: no test group for error');

// ---------------------------------------------------------------------------
// The schema files themselves
// ---------------------------------------------------------------------------

function lintSchemaFile(name: string, schema: Record<string, unknown>): void {
  if (typeof schema.$id !== 'string') fail(`lint schemas/${name}: no $id`);
  if (typeof schema.title !== 'string') fail(`lint schemas/${name}: no title`);
  if (typeof schema.$comment !== 'string' || !schema.$comment.includes(contractEdition)) {
    fail(`lint schemas/${name}: $comment does not name the model edition "${contractEdition}"`);
  }
  if (schema.$schema !== 'https://json-schema.org/draft/2020-12/schema') fail(`lint schemas/${name}: $schema is not draft 2020-12`);
  // Bodies stay open: AWS servers ignore unknown request members and clients ignore unknown response members.
  if (JSON.stringify(schema).includes('"additionalProperties":false')) fail(`lint schemas/${name}: additionalProperties false`);
}

for (const shared of ['shapes.json', 'DatasetImportJobSummary.json', 'error.json']) {
  lintSchemaFile(shared, JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, shared), 'utf8')) as Record<string, unknown>);
}
const expectedOperationFiles = new Set(OPERATIONS.flatMap((op) => [`${op}.request.json`, `${op}.response.json`]));
for (const file of fs.readdirSync(path.join(SCHEMAS_DIR, 'operations'))) {
  if (!expectedOperationFiles.has(file)) fail(`lint schemas/operations/${file}: not an operation of OPERATIONS`);
}
for (const operation of OPERATIONS) {
  for (const direction of ['request', 'response'] as const) {
    lintSchemaFile(`operations/${operation}.${direction}.json`, schemaFor(operation, direction) as Record<string, unknown>);
  }
}

// ---------------------------------------------------------------------------
// unknownMembers reporting
// ---------------------------------------------------------------------------

function expectUnknown(label: string, result: BodyCheck, expected: string[]): void {
  expect(
    sameList(result.unknownMembers, expected),
    `unknownMembers › ${label}: got ${JSON.stringify(result.unknownMembers)}, expected ${JSON.stringify(expected)}`,
  );
}

expectUnknown(
  'members of every anyOf branch of error.json are known',
  checkErrorBody({ __type: 'InvalidInputException', code: 'InvalidInputException', message: 'x', Message: 'x' }),
  [],
);
expectUnknown(
  'nested: in a summary and at the top level, not inside an unknown member',
  checkBody('ListDatasetImportJobs', 'response', {
    datasetImportJobs: [{ status: 'ACTIVE' }, { status: 'ACTIVE' }, { status: 'ACTIVE', colour: 'blue', size: { x: 1 } }],
    extra: { deeper: true },
  }),
  ['/datasetImportJobs/2/colour', '/datasetImportJobs/2/size', '/extra'],
);
expectUnknown('a Unit output declares no members', checkBody('DeleteDataset', 'response', { a: { b: 1 }, c: 2 }), ['/a', '/c']);
expectUnknown('JSON-pointer escaping of / and ~', checkBody('DescribeSchema', 'request', { schemaArn: 'x', 'a/b': 1, 'c~d': 2 }), [
  '/a~1b',
  '/c~0d',
]);
expectUnknown('no member report for a value of the wrong type', checkBody('ListDatasetImportJobs', 'response', { datasetImportJobs: 'x' }), []);
expectUnknown(
  'inside a request list of tags',
  checkBody('CreateDatasetGroup', 'request', { name: 'g', tags: [{ tagKey: 'k', tagValue: 'v', note: 'n' }] }),
  ['/tags/0/note'],
);
expectUnknown('a single shape', checkShape('Tag', { tagKey: 'k', tagValue: 'v', x: 1 }), ['/x']);
expectUnknown('a known body has none', checkBody('ListDatasetImportJobs', 'request', { datasetArn: 'x', maxResults: 1, nextToken: '' }), []);
{
  const result = checkBody('ListDatasetImportJobs', 'response', { datasetImportJobs: [{ status: 'RUNNING', colour: 'x' }] });
  expect(
    !result.valid && result.errors.some((e) => e.startsWith('/datasetImportJobs/0/status must be equal to one of the allowed values (')),
    `errors › enum errors name the pointer and list the allowed values: got ${JSON.stringify(result.errors)}`,
  );
}

// ---------------------------------------------------------------------------
// The exported facts agree with the validators
// ---------------------------------------------------------------------------

function expectFact(label: string, condition: boolean): void {
  expect(condition, `exported facts › ${label}`);
}

expectFact('contractEdition names the model', contractEdition.includes('com.amazonaws.personalize'));
expectFact('maxResults.min is valid', checkShape('MaxResults', limits.maxResults.min).valid);
expectFact('maxResults.min - 1 is invalid', !checkShape('MaxResults', limits.maxResults.min - 1).valid);
expectFact('maxResults.max is valid', checkShape('MaxResults', limits.maxResults.max).valid);
expectFact('maxResults.max + 1 is invalid', !checkShape('MaxResults', limits.maxResults.max + 1).valid);
const page = (n: number) => ({ datasetImportJobs: Array.from({ length: n }, () => ({})) });
expectFact('pageItemsMax summaries are valid', checkBody('ListDatasetImportJobs', 'response', page(limits.pageItemsMax)).valid);
expectFact('pageItemsMax + 1 summaries are invalid', !checkBody('ListDatasetImportJobs', 'response', page(limits.pageItemsMax + 1)).valid);
const arn = (n: number) => 'arn:aws:personalize:us-east-1:123456789012:dataset/'.padEnd(n, 'a');
expectFact('an ARN of arnMaxLength is valid', checkShape('Arn', arn(limits.arnMaxLength)).valid);
expectFact('an ARN of arnMaxLength + 1 is invalid', !checkShape('Arn', arn(limits.arnMaxLength + 1)).valid);
expectFact('a token of nextTokenMaxLength is valid', checkShape('NextToken', 'A'.repeat(limits.nextTokenMaxLength)).valid);
expectFact('a token of nextTokenMaxLength + 1 is invalid', !checkShape('NextToken', 'A'.repeat(limits.nextTokenMaxLength + 1)).valid);
expectFact('a name of nameMaxLength is valid', checkShape('Name', 'n'.repeat(limits.nameMaxLength)).valid);
expectFact('a name of nameMaxLength + 1 is invalid', !checkShape('Name', 'n'.repeat(limits.nameMaxLength + 1)).valid);
expectFact('every import-job status validates', importJobStatuses.every((s) => checkShape('ImportJobStatus', s).valid));
expectFact(
  'terminal statuses are a non-empty proper subset of the lifecycle',
  terminalImportJobStatuses.length > 0 &&
    terminalImportJobStatuses.length < importJobStatuses.length &&
    terminalImportJobStatuses.every((s) => importJobStatuses.includes(s)),
);
expectFact('every import mode validates', importModes.length > 0 && importModes.every((m) => checkShape('ImportMode', m).valid));
expectFact('OPERATIONS lists ListDatasetImportJobs', OPERATIONS.includes('ListDatasetImportJobs'));
expectFact('hasSchema is false for an operation out of scope', !hasSchema('CreateSolution'));

// matchesPattern uses the schema's pattern with the 'u' flag, as ajv does.
const patternCases: Array<[Parameters<typeof matchesPattern>[0], string, boolean]> = [
  ['Arn', 'arn:aws:personalize:us-east-1:123456789012:dataset/d', true],
  ['Arn', 'arn:aws:iam::123456789012:role/r', false],
  ['Name', 'job-1', true],
  ['Name', '-job', false],
  ['NextToken', 'abc==', true],
  ['NextToken', 'tökén', false],
  ['RoleArn', 'arn:aws:iam::123456789012:role/r', true],
  ['S3Location', 's3://bucket/key', true],
  ['S3Location', 'file:///tmp/x', false],
  ['DatasetType', 'Interactions', true],
  ['DatasetType', 'Items2', false],
];
for (const [shape, value, expected] of patternCases) {
  expectFact(
    `matchesPattern(${shape}, ${JSON.stringify(value)}) is ${expected} and agrees with checkShape`,
    matchesPattern(shape, value) === expected && checkShape(shape, value).valid === expected,
  );
}

console.log(`schema tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
