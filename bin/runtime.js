// How the package's code is loaded, decided in one place: a checkout (TypeScript sources present)
// runs them through ts-node (transpile only); the published package runs the JavaScript that
// `npm pack` compiled into dist/ and needs neither ts-node nor typescript.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const fromSources = existsSync(join(ROOT, 'src', 'run.ts'));
let registered = false;

/** Requires a module of the package by its path without extension, e.g. load('src/run'). */
function load(modulePath) {
  if (!fromSources) return require(join(ROOT, 'dist', `${modulePath}.js`));
  if (!registered) {
    require('ts-node').register({ transpileOnly: true, project: join(ROOT, 'tsconfig.json') });
    registered = true;
  }
  return require(join(ROOT, `${modulePath}.ts`));
}

module.exports = { ROOT, fromSources, load };
