import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  /** Non-2xx answers and transport errors. */
  failures: number;
  seconds: number;
  latenciesMs: number[];
}

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Closed-loop load: `concurrency` clients, each sending its next request as
 * soon as the last one is answered, until `durationMs` passed or
 * `maxRequests` were sent. node:http with keep-alive, not fetch: the client
 * should cost as little as possible next to the server it measures.
 */
export async function runLoad(options: {
  port: number;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  next: (index: number) => HttpCall;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latenciesMs: number[] = [];
  let sent = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const client = async () => {
    while (sent < options.maxRequests && performance.now() < deadline) {
      const call = options.next(sent++);
      const t0 = performance.now();
      const status = await send(agent, options.port, call).catch(() => 0);
      latenciesMs.push(performance.now() - t0);
      if (status < 200 || status >= 300) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: latenciesMs.length, failures, seconds, latenciesMs };
}

function send(agent: Agent, port: number, call: HttpCall): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, agent, method: call.method, path: call.path, headers: call.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
