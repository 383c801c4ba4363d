/** Error types, their fault and HTTP status, and each operation's declared errors: read from errors.json. */
import table from './errors.json';

type ErrorFacts = { fault: 'client' | 'server'; httpStatus: number };
const all: Record<string, ErrorFacts> = {
  ...(table.protocol as Record<string, ErrorFacts>),
  ...(table.modelled as Record<string, ErrorFacts>),
};

export function errorStatus(type: string): number {
  const facts = all[type];
  if (!facts) throw new Error(`unknown error type ${type}: add it to schemas/errors.json`);
  return facts.httpStatus;
}

export function errorFault(type: string): 'client' | 'server' | undefined {
  return all[type]?.fault;
}

/** The errors the model declares for an operation. */
export function declaredErrors(operation: string): readonly string[] {
  return (table.operations as Record<string, string[]>)[operation] ?? [];
}

export function isModelledError(type: string): boolean {
  return type in table.modelled;
}
