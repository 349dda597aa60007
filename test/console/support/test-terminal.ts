/**
 * A terminal for engine tests: collects the bytes the console writes, decodes them as the console
 * character says, and types lines (CR, as a terminal sends Enter).
 */
import iconv from 'iconv-lite';
import { ConsoleEngine, type ConsoleEngineOptions } from '../../../src/console/console-engine.js';
import type { RouterControl } from '../../../src/router/rtx-router-api.js';

export class TestTerminal {
  readonly chunks: Buffer[] = [];
  closed = false;
  readonly engine: ConsoleEngine;
  private readAt = 0;

  constructor(router: RouterControl, options: Partial<ConsoleEngineOptions> = {}, private readonly encoding = 'utf-8') {
    this.engine = new ConsoleEngine({
      router,
      terminal: {
        write: (bytes) => this.chunks.push(bytes),
        close: () => {
          this.closed = true;
        },
      },
      ...options,
    });
  }

  /** Everything written so far, decoded. */
  get screen(): string {
    return iconv.decode(Buffer.concat(this.chunks), this.encoding);
  }

  /** What was written since the last call. */
  take(): string {
    const all = this.screen;
    const fresh = all.slice(this.readAt);
    this.readAt = all.length;
    return fresh;
  }

  /** Types `line` and Enter; returns what the console wrote in answer. */
  line(line: string, encoding = this.encoding): string {
    this.take();
    this.engine.receive(iconv.encode(`${line}\r`, encoding));
    return this.take();
  }

  keys(keys: string): string {
    this.take();
    this.engine.receive(Buffer.from(keys, 'utf8'));
    return this.take();
  }

  start(): string {
    this.engine.start();
    return this.take();
  }
}
