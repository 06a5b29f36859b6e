import { AbstractStartedContainer, GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { ContainerOutput } from './container-output.ts';
import { publishedStandaloneImage } from './images.ts';
import { ownerLabels } from './orphaned-stacks.ts';

export interface StandalonePorts {
  /** HTTP: the demo page, the /v1 API and Socket.IO (default 8000). */
  signalling: number;
  /** The mediasoup WebRtcServer, UDP and TCP (default 40000). */
  media: number;
}

/**
 * The single-process product (standalone/Dockerfile: what ./scripts/start
 * runs, with the demo page) on Docker's bridge network, published as README's
 * `docker run` quick start does: each port on the host's loopback under the
 * number the container uses, because the server hands out its own URL and
 * mediasoup announces its own port (on 127.0.0.1) in ICE candidates. Loopback
 * only: the product trusts join(userId).
 *
 *   const product = await new GroupCallStandaloneContainer().withPorts({ signalling: 8000, media: 40000 }).start();
 *   product.url   // http://localhost:8000
 */
export class GroupCallStandaloneContainer extends GenericContainer {
  #ports: StandalonePorts = { signalling: 8000, media: 40000 };
  #echo = process.env.GROUPCALL_STACK_LOGS === '1';

  constructor(image: string = publishedStandaloneImage) {
    super(image);
    // The labels let removeOrphanedStacks() remove it if this process dies first (no Ryuk needed).
    this.withLabels(ownerLabels())
      .withWaitStrategy(Wait.forLogMessage('groupcall is up'))
      .withStartupTimeout(60_000);
  }

  withPorts(ports: StandalonePorts): this {
    this.#ports = { ...ports };
    return this;
  }

  /** Echo the container's output to stderr (default: GROUPCALL_STACK_LOGS=1). */
  withOutputEcho(echo: boolean): this {
    this.#echo = echo;
    return this;
  }

  override async start(): Promise<StartedGroupCallStandalone> {
    const { signalling, media } = this.#ports;
    this.withEnvironment({ PORT: String(signalling), MEDIASOUP_PORT_BASE: String(media) }).withExposedPorts(
      { container: signalling, host: signalling },
      { container: media, host: media, protocol: 'udp' },
      { container: media, host: media, protocol: 'tcp' },
    );
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as Array<
      Array<{ HostIp?: string }>
    >)
      for (const binding of bindings) binding.HostIp = '127.0.0.1';
    const output = new ContainerOutput('standalone', this.#echo);
    this.withLogConsumer((stream) => output.follow(stream));
    const container = await super.start().catch((error: unknown) => {
      throw new Error(
        `the standalone container did not start: ${error instanceof Error ? error.message : String(error)}\n${output.text()}`,
      );
    });
    return new StartedGroupCallStandalone(container, this.#ports, output);
  }
}

export class StartedGroupCallStandalone extends AbstractStartedContainer {
  readonly #ports: StandalonePorts;
  readonly #output: ContainerOutput;

  constructor(container: StartedTestContainer, ports: StandalonePorts, output: ContainerOutput) {
    super(container);
    this.#ports = ports;
    this.#output = output;
  }

  /** http://localhost:PORT: the demo page, the /v1 API and Socket.IO, as the server announces itself. */
  get url(): string {
    return `http://localhost:${this.#ports.signalling}`;
  }

  get mediaPort(): number {
    return this.#ports.media;
  }

  /** Its recent output (the last 500 lines). */
  output(): string {
    return this.#output.text();
  }
}
