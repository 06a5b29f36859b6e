import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from './exit-cleanup.ts';

export interface TempDir {
  path: string;
  /** Deletes the directory and everything in it. Safe to call twice. */
  remove(): void;
}

/** A fresh directory under the OS temp dir, deleted by remove() or, failing that, at process exit. */
export function makeTempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `groupcall-${label}-`));
  const remove = () => rmSync(path, { recursive: true, force: true });
  const unregister = onProcessExit(remove);
  return {
    path,
    remove() {
      unregister();
      remove();
    },
  };
}
