/**
 * The scenarios a run selects, read the way cucumber reads them (the profile's feature paths and
 * tags of cucumber.cjs, and the run's tag expression) with cucumber's own parser, so that the
 * runner can plan the run's data before cucumber starts, without loading cucumber itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator, type GherkinDocument, type Pickle } from '@cucumber/messages';
import parseTagExpression from '@cucumber/tag-expressions';
import { ROOT } from '../paths';
import type { PickleLike } from './plan';

interface Profile { paths?: string[]; tags?: string }

function featureFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.feature')) files.push(path);
    }
  };
  for (const p of paths) {
    // Globs of cucumber.cjs are of the form folder/**/*.feature: every feature under the folder.
    const star = p.indexOf('*');
    if (star < 0) files.push(join(ROOT, p));
    else walk(join(ROOT, p.slice(0, star)));
  }
  return [...new Set(files)];
}

/** The pickles of the features a profile reads, filtered by its tags and `tags`. */
export function selectedPickles(profileName: string, tags?: string): PickleLike[] {
  return readSelection(profileName, tags).pickles;
}

/**
 * The message stream of a run that selected these scenarios and started none (it stopped while
 * arranging): the documents, pickles and test cases cucumber would have announced, so that the
 * report lists every selected scenario as not shown.
 */
export function notStartedMessages(profileName: string, tags?: string): string {
  const { documents, pickles } = readSelection(profileName, tags);
  return [
    ...documents.map((gherkinDocument) => ({ gherkinDocument })),
    ...pickles.map((pickle) => ({ pickle })),
    ...pickles.map((pickle) => ({ testCase: { id: `not-started-${pickle.id}`, pickleId: pickle.id, testSteps: [] } })),
  ].map((m) => JSON.stringify(m)).join('\n') + '\n';
}

function readSelection(profileName: string, tags?: string): { documents: GherkinDocument[]; pickles: Pickle[] } {
  const profiles = require(join(ROOT, 'cucumber.cjs')) as Record<string, Profile>; // cucumber.cjs: the suite's profiles
  const profile = profiles[profileName];
  if (!profile) throw new Error(`cucumber.cjs has no profile "${profileName}"`);
  const expressions = [profile.tags, tags].filter((t): t is string => !!t).map((t) => parseTagExpression(t));
  const newId = IdGenerator.incrementing();
  const documents: GherkinDocument[] = [];
  const pickles: Pickle[] = [];
  for (const file of featureFiles(profile.paths ?? ['features/**/*.feature'])) {
    const uri = relative(ROOT, file);
    const document = { ...new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(readFileSync(file, 'utf8')), uri };
    documents.push(document);
    for (const pickle of compile(document, uri, newId)) {
      const names = pickle.tags.map((t) => t.name);
      if (expressions.every((e) => e.evaluate(names))) pickles.push(pickle);
    }
  }
  return { documents, pickles };
}
