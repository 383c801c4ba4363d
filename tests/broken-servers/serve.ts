/**
 * One broken server on its own, for trying the suite against it by hand:
 *   npx ts-node tests/broken-servers/serve.ts throttling   (prints its URL; Ctrl-C stops it)
 */
import { startBrokenServer, type BrokenKind } from './servers';

void startBrokenServer((process.argv[2] ?? 'reference') as BrokenKind).then((s) => {
  console.log(`${process.argv[2]} server listening on ${s.url}`);
  process.on('SIGINT', () => (s.close(), process.exit(0)));
  process.on('SIGTERM', () => (s.close(), process.exit(0)));
});
