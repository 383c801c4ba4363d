// `node -r ./bin/register-typescript.js file.ts`: lets a checkout's TypeScript run as bin/runtime.js
// runs it (cucumber's requireModule, the suite's worker processes, the unit tests).
require('./runtime').registerTypeScript();
