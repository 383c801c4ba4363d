/**
 * The choices the contract leaves open, each a documented, conformant option of the reference
 * service, and the switch for deliberately injected faults (see faults.ts).
 */
export type ResultOrder = 'oldest-first' | 'newest-first' | 'by-name' | 'by-hash';
export type TokenFormat = 'opaque' | 'checksummed' | 'signed';
export type LastPageToken = 'absent' | 'empty';
export type UnknownDatasetAnswer = 'empty-list' | 'invalid-input';
export type ErrorTypeStyle = 'plain' | 'namespaced' | 'header';
export type TimestampStyle = 'whole-seconds' | 'fractional-seconds';

export interface Lifecycle {
  /** How long a new resource stays CREATE PENDING. */
  pendingMs: number;
  /** How long it then stays CREATE IN_PROGRESS before ACTIVE or CREATE FAILED. */
  inProgressMs: number;
  /** How long a deleted resource stays DELETE PENDING before it is gone. */
  deletingMs: number;
}

export interface ServiceOptions {
  order: ResultOrder;
  tokenFormat: TokenFormat;
  /** Page size when a request omits maxResults. */
  defaultPageSize: number;
  lastPageToken: LastPageToken;
  unknownDataset: UnknownDatasetAnswer;
  errorTypeStyle: ErrorTypeStyle;
  timestampStyle: TimestampStyle;
  /** Members the model does not (yet) declare, added to every summary, as a newer service might. */
  extraSummaryFields: boolean;
  lifecycle: Lifecycle;
  /** Names of injected faults (faults.ts); empty for a conformant service. */
  faults: ReadonlySet<string>;
  /** Key for signed and checksummed tokens. */
  tokenSecret: string;
}

export const defaultOptions: ServiceOptions = {
  order: 'oldest-first',
  tokenFormat: 'signed',
  defaultPageSize: 100,
  lastPageToken: 'absent',
  unknownDataset: 'empty-list',
  errorTypeStyle: 'plain',
  timestampStyle: 'whole-seconds',
  extraSummaryFields: false,
  lifecycle: { pendingMs: 2000, inProgressMs: 2000, deletingMs: 1000 },
  faults: new Set(),
  tokenSecret: 'reference-service-token-key',
};

const choices: Record<string, readonly string[]> = {
  order: ['oldest-first', 'newest-first', 'by-name', 'by-hash'],
  tokenFormat: ['opaque', 'checksummed', 'signed'],
  lastPageToken: ['absent', 'empty'],
  unknownDataset: ['empty-list', 'invalid-input'],
  errorTypeStyle: ['plain', 'namespaced', 'header'],
  timestampStyle: ['whole-seconds', 'fractional-seconds'],
};

/**
 * Reads options from a compact string such as `order=newest-first,tokenFormat=opaque,defaultPageSize=25`
 * (the form of CONFORMANCE_VARIANT and the emulator's --variant), on top of the defaults.
 */
export function parseVariant(text: string | undefined, base: ServiceOptions = defaultOptions): ServiceOptions {
  const options: ServiceOptions = { ...base, lifecycle: { ...base.lifecycle } };
  if (!text) return options;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key in choices) {
      if (!choices[key].includes(value)) {
        throw new Error(`variant ${key}=${value} is not one of: ${choices[key].join(', ')}`);
      }
      (options as unknown as Record<string, string>)[key] = value;
    } else if (key === 'defaultPageSize') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`variant defaultPageSize=${value} is not a positive integer`);
      options.defaultPageSize = n;
    } else if (key === 'extraSummaryFields') {
      options.extraSummaryFields = value !== 'false';
    } else if (key === 'pendingMs' || key === 'inProgressMs' || key === 'deletingMs') {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`variant ${key}=${value} is not a duration in ms`);
      options.lifecycle[key] = n;
    } else {
      throw new Error(`unknown variant option "${key}" (known: ${[...Object.keys(choices), 'defaultPageSize', 'extraSummaryFields', 'pendingMs', 'inProgressMs', 'deletingMs'].join(', ')})`);
    }
  }
  return options;
}

export function describeOptions(o: ServiceOptions): string {
  return [
    `order=${o.order}`, `tokenFormat=${o.tokenFormat}`, `defaultPageSize=${o.defaultPageSize}`,
    `lastPageToken=${o.lastPageToken}`, `unknownDataset=${o.unknownDataset}`, `errorTypeStyle=${o.errorTypeStyle}`,
    `timestampStyle=${o.timestampStyle}`, `extraSummaryFields=${o.extraSummaryFields}`,
    `pendingMs=${o.lifecycle.pendingMs}`, `inProgressMs=${o.lifecycle.inProgressMs}`,
    ...(o.faults.size ? [`faults=${[...o.faults].join('+')}`] : []),
  ].join(',');
}
