import { readFileSync } from 'node:fs';

/**
 * Reads a secret given either inline (an environment variable) or as a file
 * path (a mounted Kubernetes Secret), never both; undefined when neither is
 * set. A trailing newline in the file is dropped. `name` names the setting in
 * error messages (the file variant is `${name}_FILE`).
 */
export function readSecret(source: {
  name: string;
  value?: string | undefined;
  file?: string | undefined;
}): string | undefined {
  const { value, file, name } = source;
  if (value && file) throw new Error(`Set ${name} or ${name}_FILE, not both`);
  if (!file) return value || undefined;
  const secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (!secret) throw new Error(`${name}_FILE (${file}) is empty`);
  return secret;
}
