/**
 * Checks the hand-written schemas against the official Smithy model, both ways.
 *
 *   npx ts-node tools/check-schemas-against-model.ts [--verbose]
 *
 * The model (JSON AST) is read from ../shared/models/personalize-2018-05-22.json relative to the
 * repository root, or from $PERSONALIZE_SMITHY_MODEL. It is not part of this repository: when it is
 * absent the check says so and exits 0.
 *
 * For every operation's input/output structure (and DatasetImportJobSummary on its own) it walks the
 * model and the schema together: members both ways, required lists, and for each member the type,
 * length, pattern (exact string), range, enum values and list length. Deliberate deviations are
 * listed in ACCEPTED_DEVIATIONS with a reason; anything else that differs is a mismatch (exit 1).
 */
import * as fs from 'fs';
import * as path from 'path';
import { OPERATIONS, contractEdition, errorSchema, resolveRef, schemaFor, type ResolvedNode, type SchemaNode } from '../schemas';

const REPO_ROOT = path.resolve(__dirname, '..'); // the project root, beside ../shared
const MODEL_PATH = process.env.PERSONALIZE_SMITHY_MODEL
  ? path.resolve(process.env.PERSONALIZE_SMITHY_MODEL)
  : path.resolve(REPO_ROOT, '..', 'shared', 'models', 'personalize-2018-05-22.json');
const VERBOSE = process.argv.includes('--verbose');

const NS = 'com.amazonaws.personalize#';
const UNIT = 'smithy.api#Unit';

// ---------------------------------------------------------------------------
// Deliberate deviations: the one table. `subject` is a model member (Structure$member) or
// "<Operation> output"; `fact` is the fact that differs.
// ---------------------------------------------------------------------------

interface Deviation {
  subject: string;
  fact: string;
  reason: string;
  hits: number;
}

const ACCEPTED_DEVIATIONS: Deviation[] = [
  {
    subject: 'DatasetImportJob$roleArn',
    fact: 'pattern',
    reason:
      'the model targets Arn (personalize ARN pattern), but the service returns the IAM role ARN given to CreateDatasetImportJob; the schema keeps Arn\'s length and drops the pattern (contract.md §3)',
  },
  {
    subject: 'DatasetImportJobSummary$status',
    fact: 'enum',
    reason: 'the model\'s Status has no enum; ImportJobStatus takes the four lifecycle values from the documentation of this member',
  },
  {
    subject: 'DatasetImportJob$status',
    fact: 'enum',
    reason: 'the model\'s Status has no enum; ImportJobStatus takes the four lifecycle values from the documentation of this member',
  },
  ...['DeleteSchema', 'DeleteDatasetGroup', 'DeleteDataset'].map((operation) => ({
    subject: `${operation} output`,
    fact: 'shape',
    reason: 'the output is smithy.api#Unit (no payload); the schema is an open empty object, as clients read a missing payload as {}',
  })),
].map((deviation) => ({ ...deviation, hits: 0 }));

// Contract facts about errors that this check confirms in the model (contract.md §2.1, §2.5).
const EXPECTED_LIST_ERRORS = ['InvalidInputException', 'InvalidNextTokenException'];
const EXPECTED_LIST_ERROR_STATUS = 400;

// ---------------------------------------------------------------------------
// Model access
// ---------------------------------------------------------------------------

type Traits = Record<string, unknown>;
interface MemberRef {
  target: string;
  traits?: Traits;
}
interface SmithyShape {
  type: string;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  traits?: Traits;
  input?: { target: string };
  output?: { target: string };
  errors?: Array<{ target: string }>;
}

if (!fs.existsSync(MODEL_PATH)) {
  console.log(`model check: SKIPPED — ${MODEL_PATH} not found (the Smithy model is not part of this repository)`);
  process.exit(0);
}
const model = JSON.parse(fs.readFileSync(MODEL_PATH, 'utf8')) as { shapes: Record<string, SmithyShape> };

function shape(id: string): SmithyShape {
  const found = model.shapes[id];
  if (!found) throw new Error(`model: no shape ${id}`);
  return found;
}
const local = (id: string) => (id.startsWith(NS) ? id.slice(NS.length) : id);

const JSON_TYPE: Record<string, string> = {
  string: 'string',
  enum: 'string',
  blob: 'string',
  boolean: 'boolean',
  byte: 'integer',
  short: 'integer',
  integer: 'integer',
  intEnum: 'integer',
  long: 'integer',
  bigInteger: 'integer',
  float: 'number',
  double: 'number',
  bigDecimal: 'number',
  timestamp: 'number', // epoch seconds unless a timestampFormat says otherwise
  list: 'array',
  set: 'array',
  structure: 'object',
  union: 'object',
  map: 'object',
};

function modelJsonType(target: SmithyShape, traits: Traits): string {
  if (target.type === 'timestamp' && traits['smithy.api#timestampFormat'] && traits['smithy.api#timestampFormat'] !== 'epoch-seconds') {
    return 'string';
  }
  return JSON_TYPE[target.type] ?? `(unmapped ${target.type})`;
}

function modelEnum(target: SmithyShape, traits: Traits): string[] | undefined {
  if (target.type === 'enum' && target.members) {
    return Object.entries(target.members).map(([name, m]) => (m.traits?.['smithy.api#enumValue'] as string | undefined) ?? name); // an enum's enumValue is a string
  }
  const legacy = traits['smithy.api#enum'];
  if (Array.isArray(legacy)) return legacy.map((entry) => String((entry as { value: unknown }).value));
  return undefined;
}

// ---------------------------------------------------------------------------
// Schema facts: a node plus everything that applies through $ref and allOf
// ---------------------------------------------------------------------------

interface SchemaFacts {
  types: string[];
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  patterns: string[];
  enum?: unknown[];
  properties: Map<string, ResolvedNode[]>;
  /** The node that declares the properties (identity of a structure, for de-duplication). */
  propertiesOwner?: SchemaNode;
  required: Set<string>;
  items: ResolvedNode[];
  closed: boolean;
}

function gather(start: ResolvedNode): SchemaFacts {
  const facts: SchemaFacts = { types: [], patterns: [], properties: new Map(), required: new Set(), items: [], closed: false };
  const tighter = (key: 'minLength' | 'minItems' | 'minimum', value: unknown) => {
    if (typeof value === 'number') facts[key] = Math.max(facts[key] ?? -Infinity, value);
  };
  const looser = (key: 'maxLength' | 'maxItems' | 'maximum', value: unknown) => {
    if (typeof value === 'number') facts[key] = Math.min(facts[key] ?? Infinity, value);
  };
  const seen = new Set<SchemaNode>();
  const visit = ({ node, baseId }: ResolvedNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    if (typeof node.type === 'string' && !facts.types.includes(node.type)) facts.types.push(node.type);
    tighter('minLength', node.minLength);
    tighter('minItems', node.minItems);
    tighter('minimum', node.minimum);
    looser('maxLength', node.maxLength);
    looser('maxItems', node.maxItems);
    looser('maximum', node.maximum);
    if (typeof node.pattern === 'string' && !facts.patterns.includes(node.pattern)) facts.patterns.push(node.pattern);
    if (Array.isArray(node.enum)) {
      facts.enum = facts.enum ? facts.enum.filter((v) => (node.enum as unknown[]).includes(v)) : [...(node.enum as unknown[])];
    }
    if (node.properties && typeof node.properties === 'object') {
      facts.propertiesOwner ??= node;
      for (const [name, child] of Object.entries(node.properties as Record<string, SchemaNode>)) {
        facts.properties.set(name, [...(facts.properties.get(name) ?? []), { node: child, baseId }]);
      }
    }
    if (Array.isArray(node.required)) for (const name of node.required) facts.required.add(String(name));
    if (node.items && typeof node.items === 'object') facts.items.push({ node: node.items as SchemaNode, baseId });
    if (node.additionalProperties === false) facts.closed = true;
    if (typeof node.$ref === 'string') visit(resolveRef(baseId, node.$ref));
    if (Array.isArray(node.allOf)) for (const branch of node.allOf) visit({ node: branch as SchemaNode, baseId });
  };
  visit(start);
  return facts;
}

// ---------------------------------------------------------------------------
// Recording facts
// ---------------------------------------------------------------------------

let agreeing = 0;
let mismatches = 0;
let accepted = 0;

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Compares one fact of the model with the schema (or, with `otherSide`, with what the contract expects). */
function record(where: string, subject: string, fact: string, modelValue: unknown, schemaValue: unknown, otherSide = 'schema'): void {
  if (same(modelValue, schemaValue)) {
    agreeing += 1;
    if (VERBOSE) console.log(`agree: ${where} ${fact} = ${show(modelValue)}`);
    return;
  }
  const deviation = ACCEPTED_DEVIATIONS.find((d) => d.subject === subject && d.fact === fact);
  const detail = `${where} (${subject}) ${fact}: model ${show(modelValue)}, ${otherSide} ${show(schemaValue)}`;
  if (deviation) {
    deviation.hits += 1;
    accepted += 1;
    console.log(`deviation (accepted): ${detail} — ${deviation.reason}`);
  } else {
    mismatches += 1;
    console.log(`MISMATCH ${detail}`);
  }
}

function printFact(text: string): void {
  console.log(`fact: ${text}`);
}

// ---------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------

/** Structures already compared against a schema node (a structure reached twice is compared once). */
const compared = new Map<SchemaNode, Set<string>>();

function compareValue(where: string, subject: string, targetId: string, memberTraits: Traits, schemaNode: ResolvedNode): void {
  const target = shape(targetId);
  const traits: Traits = { ...(target.traits ?? {}), ...memberTraits }; // member traits win over the target's
  const facts = gather(schemaNode);
  const type = modelJsonType(target, traits);
  record(where, subject, 'type', type, facts.types.length === 1 ? facts.types[0] : facts.types);

  const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined;
  const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined;
  const pattern = traits['smithy.api#pattern'] as string | undefined;

  if (type === 'string') {
    record(where, subject, 'length.min', length?.min ?? 0, facts.minLength ?? 0);
    record(where, subject, 'length.max', length?.max, facts.maxLength);
    record(where, subject, 'pattern', pattern === undefined ? [] : [pattern], facts.patterns);
  } else if (type === 'integer' || type === 'number') {
    record(where, subject, 'range.min', range?.min, facts.minimum);
    record(where, subject, 'range.max', range?.max, facts.maximum);
  }
  const enumValues = modelEnum(target, traits);
  record(where, subject, 'enum', enumValues?.slice().sort(), facts.enum?.map(String).sort());

  if (type === 'array') {
    record(where, subject, 'list.min', length?.min ?? 0, facts.minItems ?? 0);
    record(where, subject, 'list.max', length?.max, facts.maxItems);
    if (target.member && facts.items.length === 1) {
      compareValue(`${where}/[]`, `${local(targetId)}$member`, target.member.target, target.member.traits ?? {}, facts.items[0]);
    } else {
      record(where, subject, 'items', 'one items schema', `${facts.items.length} items schemas`);
    }
  } else if (target.type === 'structure') {
    compareStructure(where, targetId, facts);
  }
}

function compareStructure(where: string, structureId: string, facts: SchemaFacts): void {
  const owner = facts.propertiesOwner;
  if (owner) {
    const done = compared.get(owner) ?? new Set<string>();
    if (done.has(structureId)) {
      if (VERBOSE) console.log(`(already compared: ${local(structureId)} at ${where})`);
      return;
    }
    done.add(structureId);
    compared.set(owner, done);
  }
  const structure = shape(structureId);
  const name = local(structureId);
  const members = structure.members ?? {};
  record(where, name, 'open object', true, !facts.closed);

  const modelRequired = Object.entries(members)
    .filter(([, m]) => m.traits && 'smithy.api#required' in m.traits)
    .map(([memberName]) => memberName)
    .sort();
  record(where, name, 'required', modelRequired, [...facts.required].sort());

  for (const memberName of Object.keys(members)) {
    if (!facts.properties.has(memberName)) record(`${where}/${memberName}`, `${name}$${memberName}`, 'member', 'present', 'absent');
  }
  for (const propertyName of facts.properties.keys()) {
    if (!(propertyName in members)) record(`${where}/${propertyName}`, `${name}$${propertyName}`, 'member', 'absent', 'present');
  }
  for (const [memberName, member] of Object.entries(members)) {
    const nodes = facts.properties.get(memberName);
    if (!nodes) continue;
    if (nodes.length !== 1) {
      record(`${where}/${memberName}`, `${name}$${memberName}`, 'declarations', 1, nodes.length);
      continue;
    }
    compareValue(`${where}/${memberName}`, `${name}$${memberName}`, member.target, member.traits ?? {}, nodes[0]);
  }
}

function compareTopLevel(where: string, subject: string, targetId: string | undefined, schema: SchemaNode): void {
  const root: ResolvedNode = { node: schema, baseId: String(schema.$id) };
  const facts = gather(root);
  if (targetId === undefined || targetId === UNIT) {
    // A Unit output has no members: the schema must declare none and stay an open object.
    record(where, subject, 'type', 'object', facts.types.length === 1 ? facts.types[0] : facts.types);
    record(where, subject, 'members', [], [...facts.properties.keys()]);
    record(where, subject, 'open object', true, !facts.closed);
    record(where, subject, 'shape', `${UNIT} (no payload)`, 'open empty object');
    return;
  }
  record(where, subject, 'type', 'object', facts.types.length === 1 ? facts.types[0] : facts.types);
  compareStructure(where, targetId, facts);
}

// Operations: input and output structures.
const listResponse = schemaFor('ListDatasetImportJobs', 'response') as SchemaNode;
const summary = resolveRef(String(listResponse.$id), '../DatasetImportJobSummary.json');
compareTopLevel('DatasetImportJobSummary.json', 'DatasetImportJobSummary', `${NS}DatasetImportJobSummary`, summary.node);

const errorIds = new Set<string>();
for (const operation of OPERATIONS) {
  const op = shape(`${NS}${operation}`);
  record(operation, operation, 'is an operation', 'operation', op.type);
  compareTopLevel(`${operation}.request`, `${operation} input`, op.input?.target, schemaFor(operation, 'request') as SchemaNode);
  compareTopLevel(`${operation}.response`, `${operation} output`, op.output?.target, schemaFor(operation, 'response') as SchemaNode);
  for (const error of op.errors ?? []) errorIds.add(error.target);

  // The paginated trait names members that must exist in the schemas.
  const paginated = op.traits?.['smithy.api#paginated'] as Record<string, string> | undefined;
  if (paginated) {
    const rootOf = (schema: SchemaNode): ResolvedNode => ({ node: schema, baseId: String(schema.$id) });
    const request = gather(rootOf(schemaFor(operation, 'request') as SchemaNode));
    const response = gather(rootOf(schemaFor(operation, 'response') as SchemaNode));
    record(operation, `${operation} paginated`, 'inputToken in request', true, request.properties.has(paginated.inputToken));
    record(operation, `${operation} paginated`, 'pageSize in request', true, request.properties.has(paginated.pageSize));
    record(operation, `${operation} paginated`, 'outputToken in response', true, response.properties.has(paginated.outputToken));
    const items = response.properties.get(paginated.items)?.[0];
    record(operation, `${operation} paginated`, 'items is an array in response', 'array', items && gather(items).types[0]);
    if (operation === 'ListDatasetImportJobs') {
      printFact(`ListDatasetImportJobs paginated: ${JSON.stringify(paginated)}`);
    }
  }
}

// ListDatasetImportJobs: exactly the two documented errors, both client errors with HTTP 400.
{
  const op = shape(`${NS}ListDatasetImportJobs`);
  const errors = (op.errors ?? []).map((e) => local(e.target)).sort();
  record('ListDatasetImportJobs', 'ListDatasetImportJobs errors', 'errors', errors, [...EXPECTED_LIST_ERRORS].sort(), 'contract');
  printFact(`ListDatasetImportJobs errors = ${errors.join(', ')}`);
  for (const name of errors) {
    const traits = shape(`${NS}${name}`).traits ?? {};
    record(name, name, 'httpError', traits['smithy.api#httpError'], EXPECTED_LIST_ERROR_STATUS, 'contract');
    record(name, name, 'error', traits['smithy.api#error'], 'client', 'contract');
    printFact(`${name}: smithy.api#error ${show(traits['smithy.api#error'])}, smithy.api#httpError ${show(traits['smithy.api#httpError'])}`);
  }
}

// error.json declares every member of every error the operations can raise.
{
  const errorBody = errorSchema() as SchemaNode;
  const facts = gather({ node: errorBody, baseId: String(errorBody.$id) });
  for (const errorId of [...errorIds].sort()) {
    const error = shape(errorId);
    for (const [memberName, member] of Object.entries(error.members ?? {})) {
      const nodes = facts.properties.get(memberName);
      const where = `error.json/${memberName}`;
      const subject = `${local(errorId)}$${memberName}`;
      if (!nodes) {
        record(where, subject, 'member', 'present', 'absent');
        continue;
      }
      const target = shape(member.target);
      record(where, subject, 'type', modelJsonType(target, target.traits ?? {}), gather(nodes[0]).types[0]);
    }
  }
}

// schemas/errors.json: each modelled error's fault and HTTP status, and each operation's error list.
const errorTable = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', 'errors.json'), 'utf8')) as {
  modelled: Record<string, { fault: string; httpStatus: number }>;
  operations: Record<string, string[]>;
};
for (const [name, facts] of Object.entries(errorTable.modelled)) {
  const traits = shape(NS + name).traits ?? {};
  record(`errors.json/modelled/${name}`, name, 'fault', traits['smithy.api#error'], facts.fault, 'errors.json');
  record(`errors.json/modelled/${name}`, name, 'httpStatus', traits['smithy.api#httpError'], facts.httpStatus, 'errors.json');
}
for (const [operation, errors] of Object.entries(errorTable.operations)) {
  const modelErrors = ((shape(NS + operation) as { errors?: { target: string }[] }).errors ?? []).map((e) => local(e.target)).sort();
  record(`errors.json/operations/${operation}`, operation, 'errors', modelErrors, [...errors].sort(), 'errors.json');
}

for (const deviation of ACCEPTED_DEVIATIONS) {
  if (deviation.hits === 0) {
    mismatches += 1;
    console.log(`MISMATCH stale deviation: ${deviation.subject} ${deviation.fact} no longer differs from the model — remove it from ACCEPTED_DEVIATIONS`);
  }
}

console.log(`model: ${MODEL_PATH}; schemas: ${contractEdition}`);
console.log(`model check: ${agreeing} facts agree, ${mismatches} mismatches, ${accepted} accepted deviations`);
process.exit(mismatches > 0 ? 1 : 0);
