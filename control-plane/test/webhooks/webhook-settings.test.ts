import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '@groupcall/testing';
import { describe, expect, it } from 'vitest';
import { webhookConfigFromEnv } from '../../src/webhooks/webhook-settings.ts';

const secret = `whsec_${Buffer.from('a webhook secret of 32 bytes....').toString('base64')}`;
const url = 'https://threads.example.com/webhooks/groupcall';

describe('webhook settings', () => {
  it('are off without WEBHOOK_URL and WEBHOOK_SECRET', () => {
    expect(webhookConfigFromEnv({})).toBeUndefined();
  });

  it('read the secret from WEBHOOK_SECRET_FILE, with the default retry policy', () => {
    const dir = makeTempDir('webhook-secret');
    try {
      const file = path.join(dir.path, 'webhook-secret');
      writeFileSync(file, `${secret}\n`);
      expect(webhookConfigFromEnv({ WEBHOOK_URL: url, WEBHOOK_SECRET_FILE: file })).toEqual({
        url,
        secret,
        timeoutMs: 10_000,
        retry: { maxAttempts: 15, baseDelayMs: 5_000, maxDelayMs: 3_600_000 },
      });
    } finally {
      dir.remove();
    }
  });

  it('refuse a URL without a secret, a secret without a URL, and a secret not in the whsec_ format', () => {
    expect(() => webhookConfigFromEnv({ WEBHOOK_URL: url })).toThrow(/WEBHOOK_SECRET/);
    expect(() => webhookConfigFromEnv({ WEBHOOK_SECRET: secret })).toThrow(/WEBHOOK_URL/);
    expect(() => webhookConfigFromEnv({ WEBHOOK_URL: url, WEBHOOK_SECRET: 'hunter2' })).toThrow(/whsec_/);
    expect(() => webhookConfigFromEnv({ WEBHOOK_URL: 'ftp://x', WEBHOOK_SECRET: secret })).toThrow();
  });
});
