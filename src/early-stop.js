// Preloaded into cucumber's processes (node --require, by src/supervise.ts): a SIGINT or SIGTERM
// that arrives before the suite's hooks are loaded is remembered for them (steps/support/hooks.ts),
// instead of killing the process before it can write its reports.
const remember = (signal) => {
  process.env.CONFORMANCE_STOP_SIGNAL ??= signal;
};
process.on('SIGINT', remember);
process.on('SIGTERM', remember);
