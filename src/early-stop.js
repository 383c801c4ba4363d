// Preloaded into cucumber's processes (node --require, by src/supervise.ts): a SIGINT or SIGTERM
// that arrives before the suite's hooks are loaded is remembered for them (src/settings.ts
// earlyStopSignal), instead of killing the process before it can write its reports.
const EARLY_STOP = Symbol.for('personalize-conformance.early-stop-signal');
const remember = (signal) => {
  globalThis[EARLY_STOP] ??= signal;
};
process.on('SIGINT', remember);
process.on('SIGTERM', remember);
