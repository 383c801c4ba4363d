/**
 * What a run owns: its prefix, and the record of what it created.
 *
 * A run's prefix is "cf", its start time in base 36 and three random base-36 characters
 * (cfmx0z7s4gfh9): unique to the run, so that a name that carries `<prefix>-` is the run's.
 * A shorter or partial prefix (cfmx) would also match every run that started close to it.
 *
 * The record is a file of JSON lines, {kind, name, prefix, arn?}, appended as the run goes:
 * a line without `arn` before a create request is sent (so that a create whose answer was lost
 * is still the run's), a line with it once the ARN is known. Worker processes may append to one
 * file: each line is one append, which the system does not interleave. `npm run cleanup --
 * --record FILE` deletes only schemas named in it (schemas take no tags to tell their owner).
 */
import { appendFileSync, readFileSync } from 'node:fs';

/** The form of a prefix a run makes (newRunPrefix): what cleanup accepts. */
export const RUN_PREFIX_FORM = /^cf[0-9a-z]{11}$/;
export const RUN_PREFIX_EXAMPLE = 'cfmx0z7s4gfh9';

/** A new run's prefix: "cf", the time in base 36 (8 characters until the year 2059), 3 random characters. */
export function newRunPrefix(now = Date.now()): string {
  return `cf${now.toString(36).padStart(8, '0')}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}

export function isRunPrefix(prefix: string): boolean {
  return RUN_PREFIX_FORM.test(prefix);
}

/** Whether a resource's name is one a run of `prefix` gives: the full prefix and the separator. */
export function carriesPrefix(name: string | undefined, prefix: string): boolean {
  return !!name && name.startsWith(`${prefix}-`);
}

export const RESOURCE_KINDS = ['schema', 'dataset group', 'dataset', 'dataset import job'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
const isResourceKind = (k: unknown): k is ResourceKind => RESOURCE_KINDS.some((r) => r === k);

export interface CreatedResource {
  kind: ResourceKind;
  name: string;
  /** The prefix of the run that created it. */
  prefix: string;
  /** Absent on the line written before the create request. */
  arn?: string;
}

/** Appends one resource to the record (synchronously: a run that crashes next has still recorded it). */
export function recordCreated(file: string, resource: CreatedResource): void {
  const { kind, name, prefix, arn } = resource;
  appendFileSync(file, `${JSON.stringify({ kind, name, prefix, ...(arn && { arn }) })}\n`, { mode: 0o600 });
}

export interface CreatedRecord {
  resources: CreatedResource[];
  /** Lines that are not a resource (a line cut short by a crash, or not a record at all): ignored. */
  unreadable: number;
}

function resourceOf(line: string): CreatedResource | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { kind, name, prefix, arn } = v as Record<string, unknown>; // a JSON object or array: its members read as they come
  if (!isResourceKind(kind) || typeof name !== 'string' || typeof prefix !== 'string') return undefined;
  if (arn !== undefined && typeof arn !== 'string') return undefined;
  return { kind, name, prefix, ...(arn !== undefined && { arn }) };
}

/** The resources a record holds (throws what readFileSync throws for a file that cannot be read). */
export function readCreated(file: string): CreatedRecord {
  const record: CreatedRecord = { resources: [], unreadable: 0 };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = resourceOf(line);
    if (r) record.resources.push(r);
    else record.unreadable++;
  }
  return record;
}

/**
 * Whether the record holds this resource of the run of `prefix`: by ARN where the record knows
 * one, by name where only the line before the create was written (its answer was lost).
 */
export function inRecord(record: CreatedRecord, prefix: string, r: { kind: ResourceKind; name: string; arn: string }): boolean {
  const lines = record.resources.filter((x) => x.prefix === prefix && x.kind === r.kind && x.name === r.name);
  const arns = lines.flatMap((x) => (x.arn === undefined ? [] : [x.arn]));
  return arns.length ? arns.includes(r.arn) : lines.length > 0;
}
