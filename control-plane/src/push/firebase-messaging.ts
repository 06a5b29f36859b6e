import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { applicationDefault, type Credential, cert, deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging, type Messaging } from 'firebase-admin/messaging';

/**
 * firebase-admin set up for sending pushes. Production reads a service
 * account from the environment (firebaseCredentialsFromEnv); tests pass a
 * credential and an HTTP agent that lead to a local fake FCM.
 */
export interface FirebaseMessagingOptions {
  credential: Credential;
  /** The Firebase project; taken from the credential when it has one. */
  projectId?: string;
  /** Every connection the SDK opens goes through this agent (tests: to a fake FCM). */
  httpAgent?: Agent;
  /**
   * Send each token as its own HTTP/1.1 request instead of streams of one
   * HTTP/2 session (the SDK's default, and the better choice in production).
   * Needed with `httpAgent`: the HTTP/2 client ignores agents.
   */
  legacyHttpTransport?: boolean;
}

export interface FirebaseMessaging {
  messaging: Messaging;
  /** Releases the SDK's resources (token refresh timers, connections). */
  close(): Promise<void>;
}

export function createFirebaseMessaging(options: FirebaseMessagingOptions): FirebaseMessaging {
  // A unique app name lets several instances coexist in one process (tests).
  const app = initializeApp(
    { credential: options.credential, projectId: options.projectId, httpAgent: options.httpAgent },
    `groupcall-push-${randomUUID()}`,
  );
  const messaging = getMessaging(app);
  if (options.legacyHttpTransport) messaging.enableLegacyHttpTransport();
  return { messaging, close: () => deleteApp(app) };
}

/**
 * Credentials from the environment, or undefined when none are configured
 * (the control plane then logs pushes instead of sending them):
 * - FIREBASE_SERVICE_ACCOUNT_FILE, else GOOGLE_APPLICATION_CREDENTIALS: a
 *   JSON key file. A service account key is used as such; other kinds
 *   (workload identity, user credentials) go through Google's application
 *   default credentials.
 * - FIREBASE_PROJECT_ID overrides the project named in the file.
 */
export function firebaseCredentialsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Pick<FirebaseMessagingOptions, 'credential' | 'projectId'> | undefined {
  const variable = env.FIREBASE_SERVICE_ACCOUNT_FILE
    ? 'FIREBASE_SERVICE_ACCOUNT_FILE'
    : 'GOOGLE_APPLICATION_CREDENTIALS';
  const file = env[variable];
  if (!file) return undefined;
  if (!existsSync(file)) throw new Error(`${variable}=${file}: no such file`);

  let key: { type?: unknown; project_id?: unknown };
  try {
    key = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${variable}=${file}: not a JSON key file (${error instanceof Error ? error.message : error})`,
    );
  }
  const projectId =
    env.FIREBASE_PROJECT_ID || (typeof key.project_id === 'string' ? key.project_id : undefined);
  if (key.type === 'service_account') return { credential: cert(file), projectId };
  if (variable === 'FIREBASE_SERVICE_ACCOUNT_FILE') {
    throw new Error(`${variable}=${file}: expected a service account key ("type": "service_account")`);
  }
  if (!projectId) throw new Error(`${variable}=${file} names no project: set FIREBASE_PROJECT_ID`);
  return { credential: applicationDefault(), projectId };
}
