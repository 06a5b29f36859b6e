import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { protocolDocuments, repositoryRoot } from './protocol-documents.ts';

/**
 * `pnpm docs:protocol` — writes docs/protocol/{openapi,asyncapi}.json from the
 * code's schemas. With --check it writes nothing and exits 1 when a file is
 * out of date (the vitest check does the same in CI).
 */
const check = process.argv.includes('--check');
let stale = 0;
for (const { file, content } of protocolDocuments()) {
  const target = path.join(repositoryRoot, file);
  const current = readOrEmpty(target);
  if (current === content) {
    console.log(`${file}: up to date`);
  } else if (check) {
    stale += 1;
    console.error(`${file}: out of date; run pnpm docs:protocol`);
  } else {
    writeFileSync(target, content);
    console.log(`${file}: written`);
  }
}
process.exit(stale > 0 ? 1 : 0);

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
