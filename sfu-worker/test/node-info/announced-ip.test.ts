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
