// `node -r ./bin/register-typescript.js file.ts`: lets a checkout's TypeScript run, transpiled and
// cached as bin/runtime.js does it (cucumber's requireModule, the suite's worker processes).
require('./runtime').registerTypeScript();
