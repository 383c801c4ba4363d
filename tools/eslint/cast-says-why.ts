/**
 * cast-says-why: every type assertion (`x as T`, `<T>x`) in product code carries a comment saying
 * why the type system cannot know what the cast claims, on the line where the cast starts or where
 * its `as` stands, or the line before either. `as const` claims nothing and needs none. A cast
 * that can be typed instead (a type guard, a generic) should be; an unnecessary one is already
 * @typescript-eslint's no-unnecessary-type-assertion.
 */
import type { Rule } from 'eslint';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

/** An ESLint directive (eslint-disable…, eslint …, global …) says nothing about a cast. */
const DIRECTIVE = /^\s*(eslint(-disable|-enable)?(-next-line|-line)?|global|globals|exported)\b/;

type Cast = TSESTree.TSAsExpression | TSESTree.TSTypeAssertion;

function isAsConst(node: Cast): boolean {
  const type = node.typeAnnotation;
  return type.type === AST_NODE_TYPES.TSTypeReference && type.typeName.type === AST_NODE_TYPES.Identifier && type.typeName.name === 'const';
}

export const castSaysWhy: Rule.RuleModule = {
  meta: {
    type: 'suggestion',
    docs: { description: 'A type assertion says in a comment why the type system cannot know what it claims' },
    schema: [],
    messages: {
      unexplained: 'The cast to `{{type}}` says nothing: type it (a type guard, a generic), or say in a comment on this line or the line before why the type system cannot know.',
    },
  },
  create(context) {
    const source = context.sourceCode;
    /** The lines that carry a comment other than a directive. */
    const commented = new Set<number>();
    for (const comment of source.getAllComments()) {
      if (!comment.loc || DIRECTIVE.test(comment.value) || !/[a-z]{2}/i.test(comment.value)) continue;
      for (let line = comment.loc.start.line; line <= comment.loc.end.line; line++) commented.add(line);
    }
    // ESLint's listeners take the nodes of its parser, here typescript-eslint's: TSESTree's casts.
    function check(node: Cast): void {
      if (isAsConst(node)) return;
      const asLine = node.typeAnnotation.loc.start.line;
      const lines = [node.loc.start.line - 1, node.loc.start.line, asLine - 1, asLine];
      if (lines.some((line) => commented.has(line))) return;
      const type = source.text.slice(node.typeAnnotation.range[0], node.typeAnnotation.range[1]);
      context.report({ loc: node.loc, messageId: 'unexplained', data: { type } });
    }
    return { TSAsExpression: check, TSTypeAssertion: check };
  },
};

/** The project's own ESLint plugin (eslint.config.mjs names it `local`). */
export const plugin = {
  meta: { name: 'conformance-local' },
  rules: { 'cast-says-why': castSaysWhy },
};
