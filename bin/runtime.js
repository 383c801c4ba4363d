// How the package's code is loaded, decided in one place: a checkout (TypeScript sources present)
// runs them as TypeScript, transpiled only (types are checked by `npm run typecheck`, as with
// ts-node's transpileOnly); the published package runs the JavaScript that `npm pack` compiled
// into dist/ and needs neither ts-node nor typescript.
//
// A checkout keeps what it transpiled in node_modules/.cache/personalize-conformance/, keyed by
// the file's path in the checkout and its text, TypeScript's version, tsconfig.json and this file:
// a run whose sources did not change loads no compiler at all (every suite run starts two
// processes, and CI starts dozens).
const { createHash, randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const fromSources = existsSync(join(ROOT, 'src', 'run.ts'));
const CACHE = join(ROOT, 'node_modules', '.cache', 'personalize-conformance', 'ts');
let registered = false;

/** The compiler options of tsconfig.json, as a transpiling compiler takes them (no type checking, no emit switch). */
function compilerOptions(ts) {
  const { config, error } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  return { ...options, noEmit: false, inlineSourceMap: true, inlineSources: false, sourceMap: false, declaration: false };
}

let compiler; // TypeScript and the options, loaded on the first file not in the cache
function transpile(source, file) {
  compiler ??= (() => {
    const ts = require('typescript');
    return { ts, options: compilerOptions(ts) };
  })();
  return compiler.ts.transpileModule(source, { fileName: file, compilerOptions: compiler.options }).outputText;
}

/** What a cached output depends on besides the file: TypeScript's version, tsconfig.json and how this file transpiles. */
let settingsKey;
function keyOf(source, file) {
  settingsKey ??= (() => {
    const tsVersion = JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
    return `${tsVersion}\0${readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')}\0${readFileSync(__filename, 'utf8')}`;
  })();
  // The path in the checkout, not on the disk: a copy of the checkout (a Stryker sandbox) finds the same entries.
  return createHash('sha256').update(settingsKey).update('\0').update(relative(ROOT, file)).update('\0').update(source).digest('hex');
}

/** The JavaScript of a TypeScript file: from the cache, or transpiled and then kept (written whole, then renamed: processes share it). */
function javaScriptOf(source, file) {
  const key = keyOf(source, file);
  const cached = join(CACHE, key.slice(0, 2), `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const output = transpile(source, file);
    try {
      mkdirSync(join(CACHE, key.slice(0, 2)), { recursive: true });
      const partial = `${cached}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(partial, output);
      renameSync(partial, cached);
    } catch {
      /* a read-only checkout: transpile every time */
    }
    return output;
  }
}

/**
 * Lets require() load the checkout's .ts files (once per process; stack traces point into the .ts
 * files). In a process that ts-node already serves (the maintainer tools), ts-node keeps doing so:
 * two hooks would map stack traces twice.
 */
function registerTypeScript() {
  if (registered || process[Symbol.for('ts-node.register.instance')]) return;
  registered = true;
  process.setSourceMapsEnabled(true);
  require.extensions['.ts'] = (module, file) => module._compile(javaScriptOf(readFileSync(file, 'utf8'), file), file);
}

/** Requires a module of the package by its path without extension, e.g. load('src/run'). */
function load(modulePath) {
  if (!fromSources) return require(join(ROOT, 'dist', `${modulePath}.js`));
  registerTypeScript();
  return require(join(ROOT, `${modulePath}.ts`));
}

module.exports = { ROOT, fromSources, load, registerTypeScript };
