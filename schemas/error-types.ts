/** Error types, their fault and HTTP status, and each operation's declared errors: read from errors.json. */
import table from './errors.json';

type ErrorFacts = { fault: 'client' | 'server'; httpStatus: number };
const all: Record<string, ErrorFacts> = {
  // errors.json's entries are ErrorFacts (npm run test:schemas checks the file); its import is typed by its literal values.
  ...(table.protocol as Record<string, ErrorFacts>),
  ...(table.modelled as Record<string, ErrorFacts>), // (the same)
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
  return (table.operations as Record<string, string[]>)[operation] ?? []; // errors.json's operations, looked up by any name
}

export function isModelledError(type: string): boolean {
  return type in table.modelled;
}
