// How the package's code is loaded, decided in one place: a checkout (TypeScript sources present)
// runs them as TypeScript through ts-node, transpiled only, by swc (types are checked by
// `npm run typecheck`); the published package runs the JavaScript that `npm pack` compiled into
// dist/ and needs neither ts-node, swc nor typescript. docs/performance.md says why this loader.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const fromSources = existsSync(join(ROOT, 'src', 'run.ts'));

/**
 * Lets require() load the checkout's .ts files, with the checkout's tsconfig.json (whose "ts-node"
 * section asks for transpiling only, by swc), wherever the process started. A process that
 * ts-node already serves (`ts-node tools/x.ts`) keeps that instance.
 */
function registerTypeScript() {
  if (process[Symbol.for('ts-node.register.instance')]) return;
  require('ts-node').register({ project: join(ROOT, 'tsconfig.json') });
}

/** Requires a module of the package by its path without extension, e.g. load('src/run'). */
function load(modulePath) {
  if (!fromSources) return require(join(ROOT, 'dist', `${modulePath}.js`));
  registerTypeScript();
  return require(join(ROOT, `${modulePath}.ts`));
}

module.exports = { ROOT, fromSources, load, registerTypeScript };
