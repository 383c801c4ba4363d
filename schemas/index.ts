/**
 * The one loader of the contract schemas.
 *
 * Every contract fact (limits, patterns, enums, member lists) lives in the JSON
 * files next to this one; this module only reads them. Nothing here repeats a
 * number or a pattern: `limits`, `importJobStatuses` and friends are read from
 * the schema files at load time, and the validators are compiled ahead of time
 * (schemas/compile.ts) and loaded on first use.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { createHash } from 'crypto';
import type { CompiledValidators } from './compile';

export type Direction = 'request' | 'response';

export interface BodyCheck {
  valid: boolean;
  /** Human-readable, e.g. "/datasetImportJobs/0/status must be equal to one of the allowed values (...)". */
  errors: string[];
  /** JSON pointers of object members the schema does not declare (they do not make a body invalid). */
  unknownMembers: string[];
  /** The same errors with where they are and which keyword failed, to charge each to a requirement. */
  issues: SchemaIssue[];
}

export interface SchemaIssue { pointer: string; keyword: string; text: string }

/** A JSON Schema node, as read from the files. */
export type SchemaNode = { [keyword: string]: unknown };

/** The operations this suite has schemas for: the one under test and those that arrange its data. */
export const OPERATIONS: readonly string[] = Object.freeze([
  'ListDatasetImportJobs',
  'CreateSchema',
  'DescribeSchema',
  'DeleteSchema',
  'ListSchemas',
  'CreateDatasetGroup',
  'DescribeDatasetGroup',
  'DeleteDatasetGroup',
  'ListDatasetGroups',
  'CreateDataset',
  'DescribeDataset',
  'DeleteDataset',
  'ListDatasets',
  'CreateDatasetImportJob',
  'DescribeDatasetImportJob',
  'ListTagsForResource',
]);

// ---------------------------------------------------------------------------
// Loading the documents
// ---------------------------------------------------------------------------

const SCHEMA_DIR = __dirname;
/** The schema documents besides the per-operation ones (other JSON files in this folder are not schemas). */
const SHARED_DOCUMENTS = ['shapes.json', 'DatasetImportJobSummary.json', 'error.json'] as const;

function operationFile(operation: string, direction: Direction): string {
  return `operations/${operation}.${direction}.json`;
}

/** Every schema document by its `$id` (no fragment). */
const documents = new Map<string, SchemaNode>();
/** The `$id` of each file, by its path relative to the schemas folder ("operations/X.request.json"). */
const idByFile = new Map<string, string>();

function load(file: string): void {
  const absolute = path.join(SCHEMA_DIR, file);
  if (!fs.existsSync(absolute)) return; // reported by documentIdOf / hasSchema when needed
  const doc = JSON.parse(fs.readFileSync(absolute, 'utf8')) as SchemaNode;
  const id = doc.$id;
  if (typeof id !== 'string') throw new Error(`schemas: ${file} has no $id`);
  if (documents.has(id)) throw new Error(`schemas: $id ${id} is used twice`);
  documents.set(id, doc);
  idByFile.set(file, id);
}

for (const file of SHARED_DOCUMENTS) load(file);
for (const operation of OPERATIONS) {
  load(operationFile(operation, 'request'));
  load(operationFile(operation, 'response'));
}

function documentIdOf(file: string): string {
  const id = idByFile.get(file);
  if (!id) throw new Error(`schemas: missing schemas/${file}`);
  return id;
}

const SHAPES_ID = documentIdOf('shapes.json');
const ERROR_ID = documentIdOf('error.json');
const shapesDoc = documents.get(SHAPES_ID)!;
const shapeDefs = (shapesDoc.$defs ?? {}) as Record<string, SchemaNode>; // shapes.json's $defs: schemas, each a JSON object

// ---------------------------------------------------------------------------
// $ref resolution (shared by the unknown-member walk and scripts)
// ---------------------------------------------------------------------------

export interface ResolvedNode {
  node: SchemaNode;
  /** The document `$id` that relative `$ref`s inside `node` resolve against. */
  baseId: string;
}

function unescapePointerToken(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

const resolved = new Map<string, ResolvedNode>();

/** Resolves `ref` (relative or absolute, with an optional JSON-pointer fragment) against `baseId` (once: the documents do not change). */
export function resolveRef(baseId: string, ref: string): ResolvedNode {
  const key = `${baseId}\0${ref}`;
  let hit = resolved.get(key);
  if (!hit) resolved.set(key, (hit = resolveRefAnew(baseId, ref)));
  return hit;
}

function resolveRefAnew(baseId: string, ref: string): ResolvedNode {
  const url = new URL(ref, baseId);
  const fragment = url.hash.replace(/^#/, '');
  url.hash = '';
  const docId = url.toString();
  const doc = documents.get(docId);
  if (!doc) throw new Error(`schemas: cannot resolve $ref "${ref}" from ${baseId}`);
  let node: unknown = doc;
  if (fragment) {
    for (const token of fragment.replace(/^\//, '').split('/').map(unescapePointerToken)) {
      if (node === null || typeof node !== 'object' || !(token in node)) {
        throw new Error(`schemas: $ref "${ref}" from ${baseId} points at nothing`);
      }
      node = (node as Record<string, unknown>)[token]; // an object or an array (checked above), read by a JSON-pointer token
    }
  }
  return { node: node as SchemaNode, baseId: docId }; // a $ref of these documents points at a schema
}

/** Applicable nodes by the node they start from (a node belongs to one document, so its base is known). */
const applicable = new WeakMap<SchemaNode, ResolvedNode[]>();

/**
 * The node itself plus every node that applies to the same instance through
 * `$ref`, `allOf`, `anyOf` and `oneOf` (recursively); found once per node.
 */
function applicableNodes(start: ResolvedNode): ResolvedNode[] {
  let nodes = applicable.get(start.node);
  if (!nodes) applicable.set(start.node, (nodes = collectApplicable(start, [])));
  return nodes;
}

function collectApplicable(start: ResolvedNode, out: ResolvedNode[]): ResolvedNode[] {
  if (out.some((seen) => seen.node === start.node)) return out;
  out.push(start);
  const { node, baseId } = start;
  if (typeof node.$ref === 'string') collectApplicable(resolveRef(baseId, node.$ref), out);
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      for (const branch of branches) collectApplicable({ node: branch as SchemaNode, baseId }, out); // allOf/anyOf/oneOf hold schemas
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Unknown members
// ---------------------------------------------------------------------------

function escapePointerToken(token: string): string {
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

/** A JSON object: an object that is no array (nor null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What the nodes that apply at one place say about an instance's members, found once per node. */
interface MemberFacts {
  /** Whether any applicable node describes an object (else a member list means a type error, not unknown members). */
  describesObject: boolean;
  /** For each declared member, the nodes its value must then follow. */
  declared: Map<string, ResolvedNode[]>;
  /** The nodes an array's elements follow. */
  items: ResolvedNode[];
}

const memberFacts = new WeakMap<SchemaNode, MemberFacts>();

function factsOf(start: ResolvedNode): MemberFacts {
  let facts = memberFacts.get(start.node);
  if (facts) return facts;
  const nodes = applicableNodes(start);
  facts = { describesObject: nodes.some((n) => n.node.type === 'object' || isPlainObject(n.node.properties)), declared: new Map(), items: [] };
  for (const n of nodes) {
    if (isPlainObject(n.node.properties)) {
      for (const [key, child] of Object.entries(n.node.properties as Record<string, SchemaNode>)) { // properties' values are schemas
        const list = facts.declared.get(key) ?? [];
        list.push({ node: child, baseId: n.baseId });
        facts.declared.set(key, list);
      }
    }
    if (isPlainObject(n.node.items)) facts.items.push({ node: n.node.items, baseId: n.baseId });
  }
  memberFacts.set(start.node, facts);
  return facts;
}

function collectUnknownMembers(start: ResolvedNode, value: unknown, pointer: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const facts = factsOf(start);
  if (!Array.isArray(value)) {
    if (!facts.describesObject) return; // a type error, reported by validation; nothing to say about members
    for (const key of Object.keys(value)) {
      const memberPointer = `${pointer}/${escapePointerToken(key)}`;
      const declaring = facts.declared.get(key);
      if (!declaring) {
        out.push(memberPointer);
        continue;
      }
      const member = (value as Record<string, unknown>)[key]; // an object that is no array (checked above), read by its own key
      for (const child of declaring) collectUnknownMembers(child, member, memberPointer, out);
    }
  } else {
    for (const items of facts.items) value.forEach((element, index) => collectUnknownMembers(items, element, `${pointer}/${index}`, out));
  }
}

function unknownMembersOf(start: ResolvedNode, value: unknown): string[] {
  const out: string[] = [];
  collectUnknownMembers(start, value, '', out);
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/**
 * The validators are compiled ahead of time into one module of ajv standalone code
 * (schemas/compile.ts): `npm run build` writes it for the package, where it is used as built. A
 * checkout writes it on its first run, and again after a schema, ajv or the compiler changed:
 * what it was compiled from is its key. Compiling every schema costs about 0.25 s; loading the
 * module, a few milliseconds.
 */
const VALIDATORS_MODULE = path.join(SCHEMA_DIR, 'validators.generated.js');
const FROM_SOURCES = __filename.endsWith('.ts');
/** The JSON Schemas of fixtures/ (data sets, known deviations), which stand alone. */
const STANDALONE_DIR = path.join(SCHEMA_DIR, '..', 'fixtures');

let compiled: CompiledValidators | undefined;

/** Every contract reference `check` validates against: each document and each definition of shapes.json. */
function contractRefs(): string[] {
  return [...documents.keys(), ...Object.keys(shapeDefs).map((def) => `${SHAPES_ID}#/$defs/${def}`)];
}

function standaloneSchemas(): { id: string; schema: SchemaNode }[] {
  return fs
    .readdirSync(STANDALONE_DIR)
    .filter((name) => name.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const schema = JSON.parse(fs.readFileSync(path.join(STANDALONE_DIR, name), 'utf8')) as SchemaNode; // a schema file of fixtures/: a JSON object (its $id is checked below)
      if (typeof schema.$id !== 'string') throw new Error(`schemas: fixtures/${name} has no $id`);
      return { id: schema.$id, schema };
    });
}

/** What the module is compiled from: the compiler, ajv's and ajv-formats' versions, and every schema. */
function inputsKey(standalone: { schema: SchemaNode }[]): string {
  const version = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version; // an installed package's package.json has its version
  const hash = createHash('sha256').update(fs.readFileSync(path.join(SCHEMA_DIR, 'compile.ts'))).update(`\0${version('ajv')}\0${version('ajv-formats')}`);
  for (const doc of [...documents.values(), ...standalone.map((s) => s.schema)]) hash.update('\0').update(JSON.stringify(doc));
  return hash.digest('hex');
}

/** The compiled validators: the module as built (the package), or as it is or compiled anew (a checkout). */
function compiledValidators(): CompiledValidators {
  if (compiled) return compiled;
  if (FROM_SOURCES) return (compiled = ensureValidatorsModule());
  try {
    return (compiled = require(VALIDATORS_MODULE) as CompiledValidators); // the module compile.ts writes
  } catch (e) {
    throw new Error(`schemas: cannot load ${VALIDATORS_MODULE} (npm run build writes it): ${(e as Error).message}`); // require throws Errors
  }
}

/**
 * From a checkout: the module at `file` (by default the one this checkout uses), written anew when
 * what it was compiled from changed (`npm run build` writes the package's).
 */
export function ensureValidatorsModule(file = VALIDATORS_MODULE): CompiledValidators {
  const standalone = standaloneSchemas();
  const key = inputsKey(standalone);
  try {
    const current = require(file) as CompiledValidators; // the module compile.ts writes
    if (current.inputsKey === key) return current;
    delete require.cache[file];
  } catch {
    /* not written yet */
  }
  const { writeValidatorsModule } = require('./compile') as typeof import('./compile'); // loaded lazily: only a checkout compiles
  return writeValidatorsModule(file, key, { documents: [...documents.values()], refs: contractRefs() }, standalone);
}

/** The validator of a schema that stands alone (no $ref to other documents), e.g. a fixture file's. */
export function standaloneValidator(schema: object): ValidateFunction {
  const { standalone, standaloneSchemas: texts } = compiledValidators();
  const id = '$id' in schema ? schema.$id : undefined;
  if (typeof id === 'string' && texts[id] === JSON.stringify(schema)) return standalone[id];
  // Not one of fixtures/ as compiled: compiled here.
  const { compileStandalone } = require('./compile') as typeof import('./compile'); // loaded lazily: only a schema outside fixtures/ is compiled here
  return compileStandalone(schema);
}

/** The compiled validator of the contract schema at `ref`: a document `$id`, optionally with a JSON-pointer fragment. */
function validatorFor(ref: string): ValidateFunction {
  const validate = compiledValidators().contract[ref];
  if (!validate) throw new Error(`schemas: no schema at ${ref}`);
  return validate;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  let text = `${where} ${error.message ?? `fails ${error.keyword}`}`;
  if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    text += ` (${error.params.allowedValues.map(String).join(', ')})`;
  }
  return text;
}

function check(ref: string, body: unknown, findUnknownMembers = true): BodyCheck {
  const validate = validatorFor(ref);
  const valid = validate(body);
  const failed = valid ? [] : validate.errors ?? [];
  const errors = [...new Set(failed.map(describeError))];
  const issues = failed.map((e) => ({ pointer: e.instancePath, keyword: e.keyword, text: describeError(e) }));
  if (!findUnknownMembers) return { valid, errors, unknownMembers: [], issues };
  const [docId, fragment = ''] = ref.split('#');
  const start = fragment ? resolveRef(docId, `#${fragment}`) : { node: documents.get(docId)!, baseId: docId };
  return { valid, errors, unknownMembers: unknownMembersOf(start, body), issues };
}

export function hasSchema(operation: string): boolean {
  return (
    OPERATIONS.includes(operation) &&
    idByFile.has(operationFile(operation, 'request')) &&
    idByFile.has(operationFile(operation, 'response'))
  );
}

function operationSchemaId(operation: string, direction: Direction): string {
  if (!OPERATIONS.includes(operation)) throw new Error(`schemas: no schemas for operation "${operation}"`);
  if (direction !== 'request' && direction !== 'response') throw new Error(`schemas: bad direction "${String(direction)}"`);
  return documentIdOf(operationFile(operation, direction));
}

/** Validates a JSON body (already parsed) of `operation` against its request or response schema, and lists its undeclared members. */
export function checkBody(operation: string, direction: Direction, body: unknown): BodyCheck {
  return check(operationSchemaId(operation, direction), body, true);
}

/** How a request body breaks its schema, as a server validating requests needs it (undeclared members are no error: not looked for). */
export function requestErrors(operation: string, body: unknown): string[] {
  return check(operationSchemaId(operation, 'request'), body, false).errors;
}

/** Validates an awsJson1_1 error body (already parsed). */
export function checkErrorBody(body: unknown): BodyCheck {
  return check(ERROR_ID, body);
}

/** Validates one value against a `$defs` entry of shapes.json, e.g. `checkShape('Arn', x)`. */
export function checkShape(def: string, value: unknown): BodyCheck {
  if (!Object.prototype.hasOwnProperty.call(shapeDefs, def)) throw new Error(`schemas: shapes.json has no $defs/${def}`);
  return check(`${SHAPES_ID}#/$defs/${def}`, value);
}

/** The raw schema of an operation's request or response (a copy; for documentation). */
export function schemaFor(operation: string, direction: Direction): object {
  return structuredClone(documents.get(operationSchemaId(operation, direction))!);
}

/** The raw error-body schema (a copy). */
export function errorSchema(): object {
  return structuredClone(documents.get(ERROR_ID)!);
}

// ---------------------------------------------------------------------------
// Contract facts, read from the schema files
// ---------------------------------------------------------------------------

function fact<T>(value: unknown, isT: (v: unknown) => v is T, where: string): T {
  if (!isT(value)) throw new Error(`schemas: expected a contract fact at ${where}, found ${JSON.stringify(value)}`);
  return value;
}
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function shapeDef(name: string): SchemaNode {
  return fact(shapeDefs[name], isPlainObject, `shapes.json#/$defs/${name}`);
}

/** The model edition the schemas follow (shapes.json "x-edition"). */
export const contractEdition: string = fact(shapesDoc['x-edition'], isString, 'shapes.json#/x-edition');

const listResponse = documents.get(operationSchemaId('ListDatasetImportJobs', 'response'))!;
const listProperties = fact(listResponse.properties, isPlainObject, 'ListDatasetImportJobs.response#/properties');
const pageProperty = fact(listProperties.datasetImportJobs, isPlainObject, 'ListDatasetImportJobs.response#/properties/datasetImportJobs');

export const limits: {
  readonly maxResults: { readonly min: number; readonly max: number };
  readonly pageItemsMax: number;
  readonly arnMaxLength: number;
  readonly nextTokenMaxLength: number;
  readonly nameMaxLength: number;
} = Object.freeze({
  maxResults: Object.freeze({
    min: fact(shapeDef('MaxResults').minimum, isNumber, 'shapes.json#/$defs/MaxResults/minimum'),
    max: fact(shapeDef('MaxResults').maximum, isNumber, 'shapes.json#/$defs/MaxResults/maximum'),
  }),
  pageItemsMax: fact(pageProperty.maxItems, isNumber, 'ListDatasetImportJobs.response#/properties/datasetImportJobs/maxItems'),
  arnMaxLength: fact(shapeDef('Arn').maxLength, isNumber, 'shapes.json#/$defs/Arn/maxLength'),
  nextTokenMaxLength: fact(shapeDef('NextToken').maxLength, isNumber, 'shapes.json#/$defs/NextToken/maxLength'),
  nameMaxLength: fact(shapeDef('Name').maxLength, isNumber, 'shapes.json#/$defs/Name/maxLength'),
});

/** The documented import-job lifecycle values (shapes.json ImportJobStatus enum). */
export const importJobStatuses: readonly string[] = Object.freeze(
  fact(shapeDef('ImportJobStatus').enum, isStringList, 'shapes.json#/$defs/ImportJobStatus/enum'),
);

/** The documented end states of an import job (shapes.json ImportJobStatus "x-terminal"). */
export const terminalImportJobStatuses: readonly string[] = Object.freeze(
  fact(shapeDef('ImportJobStatus')['x-terminal'], isStringList, 'shapes.json#/$defs/ImportJobStatus/x-terminal'),
);

/**
 * The statuses a job may show once it has been seen in `status`, in lifecycle order
 * (CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED): itself and the later ones,
 * where the two end states exclude each other.
 */
export function statusesFrom(status: string): string[] {
  if (terminalImportJobStatuses.includes(status)) return [status];
  const at = importJobStatuses.indexOf(status);
  return at < 0 ? [] : importJobStatuses.slice(at);
}

export const importModes: readonly string[] = Object.freeze(
  fact(shapeDef('ImportMode').enum, isStringList, 'shapes.json#/$defs/ImportMode/enum'),
);

export type PatternShape = 'Arn' | 'Name' | 'NextToken' | 'RoleArn' | 'S3Location' | 'DatasetType';
const patterns = new Map<PatternShape, RegExp>();

/** Tests `value` against the shape's pattern, compiled with the 'u' flag as ajv does. */
export function matchesPattern(shape: PatternShape, value: string): boolean {
  let pattern = patterns.get(shape);
  if (!pattern) {
    pattern = new RegExp(fact(shapeDef(shape).pattern, isString, `shapes.json#/$defs/${shape}/pattern`), 'u');
    patterns.set(shape, pattern);
  }
  return pattern.test(value);
}

// Sanity at load: every operation has its two files, and the terminal states are lifecycle states.
for (const operation of OPERATIONS) {
  if (!hasSchema(operation)) throw new Error(`schemas: missing request or response schema for ${operation}`);
}
for (const status of terminalImportJobStatuses) {
  if (!importJobStatuses.includes(status)) throw new Error(`schemas: x-terminal status "${status}" is not in ImportJobStatus`);
}
