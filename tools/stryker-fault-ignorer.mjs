// A Stryker ignorer: mutants inside fault switches of the reference service are not mutants of
// its behaviour. A fault (reference-service/faults.ts) is off in the run Stryker tests, so the test
// and body of `if (this.fault('x')) ...`, the chosen branch of `this.fault('x') ? a : b`, and the
// switch calls themselves can only change what a deliberately broken service does. What stays
// mutated is the conformant code path (the `else` branches and the `: b` of a ternary).
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

function callsFault(node) {
  if (!node || typeof node !== 'object') return false;
  if (node.type === 'CallExpression') {
    const c = node.callee;
    if ((c.type === 'Identifier' && c.name === 'fault') || (c.type === 'MemberExpression' && c.property?.name === 'fault')) return true;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'leadingComments' || key === 'trailingComments') continue;
    if (Array.isArray(value) ? value.some(callsFault) : typeof value === 'object' && callsFault(value)) return true;
  }
  return false;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'fault-switches', {
    shouldIgnore(path) {
      const parent = path.parentPath;
      if (!parent) return undefined;
      const inSwitchedBranch = (parent.isIfStatement() || parent.isConditionalExpression()) &&
        (path.key === 'test' || path.key === 'consequent') && callsFault(parent.node.test);
      if (inSwitchedBranch) return 'fault switch of the reference service: off in a conformant run';
      if (path.isCallExpression() && callsFault(path.node) && !path.node.arguments.some(callsFault)) return 'fault switch call';
      return undefined;
    },
  }),
];
