import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One delivery attempt as the receiver saw it. */
export interface WebhookAttempt {
  /** The `webhook-id` header: the same for every retry of one event. */
  id: string;
  /** What the receiver answered. */
  status: number;
  /** The verified payload; undefined when the signature did not verify (then answered 400). */
  payload: WebhookPayload | undefined;
}

/** The Standard Webhooks payload shape: `{type, timestamp, data}`. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert the exact shape themselves
  data: Record<string, any>;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:PORT/webhooks */
  url: string;
  /** The signing secret the sender must use (`whsec_` + base64). */
  secret: string;
  /** Every attempt, in arrival order. */
  attempts: WebhookAttempt[];
  /** The events answered 2xx (signature verified), in arrival order. */
  accepted(): WebhookPayload[];
  /** Answer the next `count` requests with 500 (whatever their signature). */
  failNext(count: number): void;
  /** While true, every request is answered 500. */
  rejectAll(reject: boolean): void;
  stop(): Promise<void>;
}

/**
 * An app backend's webhook endpoint: a real HTTP server on 127.0.0.1 that
 * checks every request's signature with the `standardwebhooks` package
 * (`Webhook.verify`: HMAC-SHA256 over id.timestamp.body, timestamp within
 * five minutes) and can be told to fail, as a backend that is down does.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const verifier = new Webhook(secret);
  const attempts: WebhookAttempt[] = [];
  let failures = 0;
  let rejecting = false;

  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const id = String(request.headers['webhook-id'] ?? '');
      let payload: WebhookPayload | undefined;
      try {
        payload = verifier.verify(body, {
          'webhook-id': id,
          'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
        }) as WebhookPayload;
      } catch {
        payload = undefined;
      }
      let status = payload ? 204 : 400;
      if (rejecting || failures > 0) {
        failures = Math.max(0, failures - 1);
        status = 500;
      }
      attempts.push({ id, status, payload });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    secret,
    attempts,
    accepted: () =>
      attempts.flatMap((a) => (a.status >= 200 && a.status < 300 && a.payload ? [a.payload] : [])),
    failNext: (count) => {
      failures = count;
    },
    rejectAll: (reject) => {
      rejecting = reject;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
