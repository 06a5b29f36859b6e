import type { Logger } from '@groupcall/shared/logging';
import type { CallLifecycleDeps } from '../calls/call-answered.ts';
import { callLost } from '../calls/lost-call.ts';
import { ringTimedOut } from '../calls/ring-timed-out.ts';
import type { RingDeadlines } from './ring-deadlines.ts';

/** How often every replica looks for due ring deadlines and calls on lost pods. */
const defaultPollMs = 1_000;

/**
 * The control plane's clock-driven side of the call lifecycle, run by every
 * replica: ring deadlines that passed (each fired by exactly one replica,
 * see RingDeadlines) and calls whose pod's heartbeat expired. Nothing lives
 * only in this process, so a replica that stops takes no pending work with it.
 */
export class CallSweeper {
  readonly #deps: CallLifecycleDeps & { ringDeadlines: RingDeadlines };
  readonly #log: Logger;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  #failing = false;

  constructor(deps: CallLifecycleDeps & { ringDeadlines: RingDeadlines }, options: { pollMs?: number } = {}) {
    this.#deps = deps;
    this.#log = deps.logger.child({ component: 'call-sweeper' });
    this.#pollMs = options.pollMs ?? defaultPollMs;
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.#sweeping ??= this.#sweep().finally(() => {
        this.#sweeping = undefined;
      });
    }, this.#pollMs);
    // A pending sweep must not keep a stopping process alive.
    this.#timer.unref();
  }

  /** Stops sweeping; resolves once a sweep under way has finished. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
  }

  async #sweep(): Promise<void> {
    const deps = { ...this.#deps, logger: this.#log };
    try {
      const [due, lost] = await Promise.all([
        this.#deps.ringDeadlines.claimDue(this.#deps.clock.now()),
        this.#deps.placement.lostCalls(),
      ]);
      if (this.#failing) this.#log.info('call sweeps work again');
      this.#failing = false;
      await Promise.all([
        ...due.map((deadline) =>
          ringTimedOut(deps, deadline).catch((error: unknown) =>
            this.#log.error({ err: error, ...deadline }, 'ring timeout failed: missed-call pushes not sent'),
          ),
        ),
        ...lost.map((call) =>
          callLost(deps, call).catch((error: unknown) =>
            this.#log.error({ err: error, ...call }, 'could not end a call whose pod was lost'),
          ),
        ),
      ]);
    } catch (error) {
      // Redis down: logged once, tried again on the next tick.
      if (!this.#failing) this.#log.error({ err: error }, 'call sweep failed');
      this.#failing = true;
    }
  }
}
