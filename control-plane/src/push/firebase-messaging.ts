import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
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
 * How the control plane sends pushes, from the environment, or undefined
 * when pushes are only logged: FCM_EMULATOR_URL when set (tests only, see
 * fcmEmulatorOptions), else Firebase credentials (firebaseCredentialsFromEnv).
 */
export function firebaseOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): FirebaseMessagingOptions | undefined {
  if (env.FCM_EMULATOR_URL) return fcmEmulatorOptions(env);
  return firebaseCredentialsFromEnv(env);
}

/**
 * Test-only: FCM_EMULATOR_URL=http://HOST:PORT sends every push, in FCM's
 * HTTP v1 wire format over plain HTTP/1.1, to a stand-in for FCM there (the
 * fake FCM of testing/, reached from a container) instead of
 * fcm.googleapis.com. The SDK authenticates with the static bearer token
 * FCM_EMULATOR_ACCESS_TOKEN (default "owner"); FIREBASE_PROJECT_ID names the
 * project. Never set it in production: it turns off TLS and real
 * credentials, so it refuses to start beside Firebase credentials.
 */
export function fcmEmulatorOptions(env: NodeJS.ProcessEnv): FirebaseMessagingOptions {
  const value = env.FCM_EMULATOR_URL ?? '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`FCM_EMULATOR_URL=${value}: not a URL (expected http://HOST:PORT)`);
  }
  if (url.protocol !== 'http:' || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw new Error(`FCM_EMULATOR_URL=${value}: expected http://HOST:PORT (plain HTTP, no path)`);
  }
  if (env.FIREBASE_SERVICE_ACCOUNT_FILE || env.GOOGLE_APPLICATION_CREDENTIALS) {
    throw new Error('FCM_EMULATOR_URL (tests only) is set beside Firebase credentials: unset one of them');
  }
  const projectId = env.FIREBASE_PROJECT_ID;
  if (!projectId) throw new Error('FCM_EMULATOR_URL needs FIREBASE_PROJECT_ID');
  const accessToken = env.FCM_EMULATOR_ACCESS_TOKEN || 'owner';
  return {
    credential: { getAccessToken: async () => ({ access_token: accessToken, expires_in: 3600 }) },
    projectId,
    httpAgent: new EmulatorAgent(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80)),
    legacyHttpTransport: true,
  };
}

/** Every connection the SDK opens (to https://fcm.googleapis.com) goes to the emulator, in plain TCP. */
class EmulatorAgent extends HttpsAgent {
  readonly #host: string;
  readonly #port: number;
  constructor(host: string, port: number) {
    super({ keepAlive: true });
    this.#host = host;
    this.#port = port;
  }
  override createConnection(): Duplex {
    return connect({ host: this.#host, port: this.#port });
  }
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
