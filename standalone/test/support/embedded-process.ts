import path from 'node:path';
import { freePort, type ServerProcess, spawnServer, waitUntil } from '@groupcall/testing';

const mainScript = path.resolve(import.meta.dirname, '../../src/main.ts');

export interface EmbeddedProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  process: ServerProcess;
  /** True while the process runs and answers /healthz. */
  healthy(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * The embedded default as `scripts/start` runs it (`node sfu-worker/src/main.ts`),
 * in its own process, so that a test can see it die: one mediasoup Worker,
 * ports chosen by the OS, no demo page.
 */
export async function startEmbeddedProcess(env: Record<string, string> = {}): Promise<EmbeddedProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnServer('embedded', process.execPath, [mainScript], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_PAGE: 'false',
      MEDIASOUP_NUM_WORKERS: '1',
      MEDIASOUP_PORT_BASE: '0',
      ...env,
    },
  });
  const healthy = async () => {
    if (server.exitError()) return false;
    return (
      (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.ok ??
      false
    );
  };
  await waitUntil(healthy, {
    description: `the embedded server answers ${url}/healthz`,
    timeoutMs: 20_000,
    intervalMs: 50,
    failFast: () => server.exitError(),
  });
  return { url, process: server, healthy, stop: () => server.stop(2_000) };
}
