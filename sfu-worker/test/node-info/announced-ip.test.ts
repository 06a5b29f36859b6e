import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnnouncedIpSettings, resolveAnnouncedIp } from '../../src/node-info/announced-ip.ts';
import { KubernetesNodeReader } from '../../src/node-info/kubernetes-node-reader.ts';
import { FakeKubernetesApi } from '../support/fake-kubernetes-api.ts';

// Documentation ranges stand in for public addresses; no packet is sent to them.
let api: FakeKubernetesApi;

beforeAll(async () => {
  api = await FakeKubernetesApi.start([
    {
      name: 'media-1',
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'ExternalIP', address: '203.0.113.11' },
        { type: 'Hostname', address: 'media-1' },
      ],
    },
    {
      name: 'media-2',
      addresses: [
        { type: 'InternalIP', address: '10.0.0.12' },
        { type: 'ExternalIP', address: '203.0.113.12' },
      ],
      annotations: { 'groupcall.io/announced-ip': '198.51.100.7' },
    },
    { name: 'private-only', addresses: [{ type: 'InternalIP', address: '10.0.0.13' }] },
  ]);
});
afterAll(() => api.close());

const settings = (overrides: Partial<AnnouncedIpSettings>): AnnouncedIpSettings => ({
  explicitIp: undefined,
  nodeName: undefined,
  allowPrivate: false,
  fallbackIp: '127.0.0.1',
  ...overrides,
});
const reader = () => new KubernetesNodeReader(api.kubeConfig());

describe('announced IP', () => {
  it("uses the Node's ExternalIP read through the Kubernetes API", async () => {
    expect(await resolveAnnouncedIp(settings({ nodeName: 'media-1' }), reader)).toEqual({
      ip: '203.0.113.11',
      source: 'node-external-ip',
    });
    expect(api.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/api/v1/nodes/media-1',
      authorization: 'Bearer fake-service-account-token',
    });
  });

  it('prefers the Node annotation override', async () => {
    expect(await resolveAnnouncedIp(settings({ nodeName: 'media-2' }), reader)).toEqual({
      ip: '198.51.100.7',
      source: 'node-annotation',
    });
  });

  it('prefers MEDIASOUP_ANNOUNCED_IP and then never asks the API', async () => {
    const before = api.requests.length;
    expect(
      await resolveAnnouncedIp(settings({ explicitIp: '192.0.2.5', nodeName: 'media-1' }), reader),
    ).toEqual({
      ip: '192.0.2.5',
      source: 'env',
    });
    expect(api.requests.length).toBe(before);
  });

  it('refuses a Node with only a private address unless private addresses are allowed', async () => {
    await expect(resolveAnnouncedIp(settings({ nodeName: 'private-only' }), reader)).rejects.toThrow(
      /Node private-only has no public ExternalIP .*Refusing to announce a private address/,
    );
    expect(
      await resolveAnnouncedIp(settings({ nodeName: 'private-only', allowPrivate: true }), reader),
    ).toEqual({
      ip: '10.0.0.13',
      source: 'node-internal-ip',
    });
  });

  it('refuses to start with neither a setting nor a Node', async () => {
    await expect(resolveAnnouncedIp(settings({}), reader)).rejects.toThrow(
      /No announced IP: set MEDIASOUP_ANNOUNCED_IP/,
    );
    expect(await resolveAnnouncedIp(settings({ allowPrivate: true }), reader)).toEqual({
      ip: '127.0.0.1',
      source: 'fallback',
    });
  });

  it('explains an unknown Node or a bad explicit value', async () => {
    await expect(resolveAnnouncedIp(settings({ nodeName: 'ghost' }), reader)).rejects.toThrow(
      /Cannot read Node ghost from the Kubernetes API/,
    );
    await expect(resolveAnnouncedIp(settings({ explicitIp: 'my-host' }), reader)).rejects.toThrow(
      /is not an IP address/,
    );
  });
});

describe("announced-ip-main.ts (what the chart's coturn relays from)", () => {
  const cli = path.resolve(import.meta.dirname, '../../src/node-info/announced-ip-main.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'announced-ip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the command as the coturn pod does, with a kubeconfig for the fake API. */
  async function run(env: Record<string, string>) {
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, api.kubeConfig().exportConfig());
    const out = path.join(dir, 'external-ip');
    rmSync(out, { force: true });
    const { PATH } = process.env;
    const result = await promisify(execFile)(process.execPath, [cli, out], {
      env: { PATH, KUBECONFIG: kubeconfig, ...env },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    const written = (() => {
      try {
        return readFileSync(out, 'utf8');
      } catch {
        return undefined;
      }
    })();
    return { ...result, written };
  }

  it("writes the node's announced address, resolved as the sfu-worker pod resolves it", async () => {
    expect(await run({ NODE_NAME: 'media-2' })).toMatchObject({ code: 0, written: '198.51.100.7\n' });
    expect(await run({ NODE_NAME: 'media-1' })).toMatchObject({ code: 0, written: '203.0.113.11\n' });
  });

  it('fails, writing nothing, where the pod would refuse to start', async () => {
    const refused = await run({ NODE_NAME: 'private-only' });
    expect(refused).toMatchObject({ code: 1, written: undefined });
    expect(refused.stderr).toMatch(/no public ExternalIP/);
    expect(await run({ NODE_NAME: 'private-only', MEDIASOUP_ALLOW_PRIVATE_IP: 'true' })).toMatchObject({
      code: 0,
      written: '10.0.0.13\n',
    });
  });
});
