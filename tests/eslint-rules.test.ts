/**
 * The project's own ESLint rules (tools/eslint/), run by ESLint's RuleTester under node:test.
 *   npm run test:unit
 */
import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { castSaysWhy } from '../tools/eslint/cast-says-why';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const unexplained = (type: string) => ({ messageId: 'unexplained', data: { type } });

tester.run('cast-says-why', castSaysWhy, {
  valid: [
    { name: 'as const claims nothing', code: "const targets = ['mock', 'aws'] as const;" },
    { name: 'a comment on the same line', code: 'const n = JSON.parse(s) as number; // the file was written by writeCount' },
    { name: 'a block comment on the same line', code: 'const n = /* written by writeCount */ JSON.parse(s) as number;' },
    { name: 'a comment on the line before', code: '// the file was written by writeCount\nconst n = JSON.parse(s) as number;' },
    {
      name: 'a comment on the line before the `as` of a cast over several lines',
      code: 'const n = f(\n  a,\n  // f returns what it was given\n  b) as number;',
    },
    { name: 'an angle-bracket assertion with a comment', code: '// the file was written by writeCount\nconst n = <number>JSON.parse(s);' },
    { name: 'no cast at all', code: 'const n: number = 1;' },
  ],
  invalid: [
    { name: 'a bare cast', code: 'const n = JSON.parse(s) as number;', errors: [unexplained('number')] },
    { name: 'a bare angle-bracket assertion', code: 'const n = <number>JSON.parse(s);', errors: [unexplained('number')] },
    { name: 'a double cast, one error each', code: 'const n = (x as unknown) as string;', errors: [unexplained('string'), unexplained('unknown')] },
    { name: 'a comment two lines above is not this cast\'s', code: '// something else\n\nconst n = JSON.parse(s) as number;', errors: [unexplained('number')] },
    {
      name: 'an ESLint directive is no reason',
      code: '// eslint-disable-next-line no-console\nconst n = JSON.parse(s) as number;',
      errors: [unexplained('number')],
    },
    { name: 'a comment without words is no reason', code: 'const n = JSON.parse(s) as number; // !', errors: [unexplained('number')] },
    { name: 'a cast to an object type', code: 'const o = v as { a: string };', errors: [unexplained('{ a: string }')] },
  ],
});
