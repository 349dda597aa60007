/**
 * One telnet connection to the console: the telnet protocol (telnet-protocol.ts) between a byte
 * stream and a console engine. Knows nothing of listening or of RtxRouter: it operates any
 * RouterControl, so a front end (servers/telnet-server.ts) hands it each accepted socket.
 */
import type { Duplex } from 'node:stream';
import type { Clock } from '../../router/clock.js';
import type { RouterControl } from '../../router/rtx-router-api.js';
import { ConsoleEngine } from '../console-engine.js';
import type { SessionOrigin } from '../messages.js';
import { boundedOutput, MAX_OUTPUT_BACKLOG } from './bounded-output.js';
import { encodeTelnetData, telnetOpening, TelnetServerProtocol } from './telnet-protocol.js';

export interface TelnetSessionOptions {
  readonly router: RouterControl;
  readonly stream: Duplex;
  /** The client's address, for the login log lines (`Login succeeded for TELNET: ...`). */
  readonly clientAddress: string;
  readonly clock?: Pick<Clock, 'setTimer'>;
  /** Unsent bytes allowed before the session is hung up (default MAX_OUTPUT_BACKLOG). */
  readonly maxOutputBacklog?: number;
}

/** Runs the console on a telnet stream; resolves when the session is over and the stream closed. */
export function runTelnetSession(options: TelnetSessionOptions): Promise<void> {
  const { stream } = options;
  const origin: SessionOrigin = { kind: 'telnet', address: options.clientAddress };
  let engine: ConsoleEngine | undefined;
  const output = boundedOutput(stream, () => hangUp(), options.maxOutputBacklog ?? MAX_OUTPUT_BACKLOG);
  const protocol = new TelnetServerProtocol((answer) => output.write(answer));
  // The client went away or stalled: log out, and drop whatever it has not taken.
  const hangUp = (): void => {
    stream.destroy();
    engine?.hangUp();
  };
  engine = new ConsoleEngine({
    router: options.router,
    origin,
    terminal: {
      write: (bytes) => output.write(encodeTelnetData(bytes)),
      // The console logged out: the RTX closes the connection.
      close: () => {
        if (!stream.destroyed && !stream.writableEnded) stream.end();
      },
    },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const running = engine;
  stream.on('data', (chunk: Buffer) => {
    const input = protocol.receive(chunk);
    if (input.window !== undefined) running.resize(input.window);
    if (input.data.length > 0) running.receive(input.data);
  });
  stream.on('error', () => hangUp());
  stream.on('close', () => hangUp());
  stream.on('end', () => hangUp());
  output.write(telnetOpening());
  running.start();
  return running.closed;
}
