import type { Readable } from 'node:stream';

const keptLines = 500;

/** The last lines a container wrote (stdout and stderr), optionally echoed with its name. */
export class ContainerOutput {
  readonly #name: string;
  readonly #echo: boolean;
  readonly #lines: string[] = [];
  #partial = '';
  #ended = false;

  constructor(name: string, echo: boolean) {
    this.#name = name;
    this.#echo = echo;
  }

  follow(stream: Readable): void {
    stream.on('data', (chunk: Buffer | string) => this.#add(chunk.toString()));
    stream.on('end', () => {
      this.#ended = true;
    });
    stream.on('error', () => {});
  }

  /** True once the container's output ended (it exited). */
  ended(): boolean {
    return this.#ended;
  }

  text(): string {
    const lines = this.#partial ? [...this.#lines, this.#partial] : this.#lines;
    return lines.map((line) => `[${this.#name}] ${line}`).join('\n');
  }

  #add(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      if (this.#echo) process.stderr.write(`[${this.#name}] ${line}\n`);
      this.#lines.push(line);
    }
    if (this.#lines.length > keptLines) this.#lines.splice(0, this.#lines.length - keptLines);
  }
}
