/**
 * The AWS SDK warns on Node 20 that its releases after January 2027 need Node 22. The README says
 * so once (its supported Node versions); this keeps the warning from repeating in every worker's output. Other warnings pass.
 */
const original = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.includes('NodeVersionSupportWarning')) return;
  return (original as (...a: unknown[]) => void)(warning, ...rest); // the arguments of emitWarning's overloads, passed through as they came
});
