import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@groupcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firebaseCredentialsFromEnv } from '../../src/push/firebase-messaging.ts';

let dir: TempDir;
let serviceAccountFile: string;

beforeAll(() => {
  dir = makeTempDir('firebase-credentials');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  serviceAccountFile = join(dir.path, 'service-account.json');
  writeFileSync(
    serviceAccountFile,
    JSON.stringify({
      type: 'service_account',
      project_id: 'threads-prod',
      client_email: 'push@threads-prod.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    }),
  );
});

afterAll(() => dir?.remove());

describe('firebaseCredentialsFromEnv', () => {
  it('is undefined when no key file is configured (pushes are then only logged)', () => {
    expect(firebaseCredentialsFromEnv({})).toBeUndefined();
  });

  it('reads a service account key, and its project unless FIREBASE_PROJECT_ID overrides it', () => {
    const fromFile = firebaseCredentialsFromEnv({ FIREBASE_SERVICE_ACCOUNT_FILE: serviceAccountFile });
    expect(fromFile?.projectId).toBe('threads-prod');
    expect(typeof fromFile?.credential.getAccessToken).toBe('function');

    const overridden = firebaseCredentialsFromEnv({
      GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile,
      FIREBASE_PROJECT_ID: 'threads-staging',
    });
    expect(overridden?.projectId).toBe('threads-staging');
  });

  it('says which variable points where when the file is missing or not a key', () => {
    expect(() => firebaseCredentialsFromEnv({ FIREBASE_SERVICE_ACCOUNT_FILE: '/nowhere/key.json' })).toThrow(
      'FIREBASE_SERVICE_ACCOUNT_FILE=/nowhere/key.json: no such file',
    );
    const notJson = join(dir.path, 'not-json.json');
    writeFileSync(notJson, 'hello');
    expect(() => firebaseCredentialsFromEnv({ GOOGLE_APPLICATION_CREDENTIALS: notJson })).toThrow(
      /GOOGLE_APPLICATION_CREDENTIALS=.*not-json.json: not a JSON key file/,
    );
    const userKey = join(dir.path, 'user.json');
    writeFileSync(userKey, JSON.stringify({ type: 'authorized_user' }));
    expect(() => firebaseCredentialsFromEnv({ FIREBASE_SERVICE_ACCOUNT_FILE: userKey })).toThrow(
      /expected a service account key/,
    );
    expect(() => firebaseCredentialsFromEnv({ GOOGLE_APPLICATION_CREDENTIALS: userKey })).toThrow(
      /set FIREBASE_PROJECT_ID/,
    );
  });
});
