/**
 * The console on this process's terminal (`rtxlab console`). On a TTY: raw mode, so every key
 * reaches the engine as on a serial line (it echoes, edits, pages), and the window size follows
 * the terminal. Otherwise (a script piped in): the input is read as it comes, output lines end
 * in `\n`, and the pager is off so that it cannot swallow the script's next line as keys; the
 * end of the input logs out.
 */
import type { Readable, Writable } from 'node:stream';
import type { RouterControl } from '../../router/rtx-router-api.js';
import type { Clock } from '../../router/clock.js';
import { ConsoleEngine } from '../console-engine.js';
import type { LineEncoding } from '../text-codec.js';

export interface TtyInput extends Readable {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface TtyOutput extends Writable {
  readonly columns?: number;
  readonly rows?: number;
}

export interface StdioConsoleOptions {
  readonly router: RouterControl;
  readonly input: TtyInput;
  readonly output: TtyOutput;
  readonly lineEncoding?: LineEncoding;
  readonly clock?: Pick<Clock, 'setTimer'>;
  /** Aborting ends the session as a hang-up does (the process is asked to stop). */
  readonly signal?: AbortSignal;
}

/** Runs one console session on the streams; resolves when it ends (logout, login timer, end of input). */
export async function runStdioConsole(options: StdioConsoleOptions): Promise<void> {
  const { input, output } = options;
  const interactive = input.isTTY === true;
  const windowOf = () =>
    output.columns !== undefined && output.rows !== undefined ? { columns: output.columns, rows: output.rows } : undefined;
  const window = windowOf();
  const engine = new ConsoleEngine({
    router: options.router,
    terminal: { write: (bytes) => output.write(bytes), close: () => undefined },
    newline: interactive ? '\r\n' : '\n',
    paging: interactive,
    ...(options.lineEncoding === undefined ? {} : { lineEncoding: options.lineEncoding }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(window === undefined ? {} : { window }),
  });
  const onData = (chunk: Buffer | string): void => engine.receive(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const onEnd = (): void => engine.hangUp();
  const onResize = (): void => {
    const size = windowOf();
    if (size !== undefined) engine.resize(size);
  };
  const onAbort = (): void => engine.hangUp();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (interactive) input.setRawMode?.(true);
  input.on('data', onData);
  input.on('end', onEnd);
  output.on('resize', onResize);
  engine.start();
  if (options.signal?.aborted === true) engine.hangUp();
  try {
    await engine.closed;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    input.off('data', onData);
    input.off('end', onEnd);
    output.off('resize', onResize);
    if (interactive) input.setRawMode?.(false);
    input.pause();
    if (!interactive) output.write('\n');
  }
}
