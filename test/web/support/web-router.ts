/**
 * A real router with the web console on ephemeral loopback ports, for the web tests: the seed
 * config with an administrator password (both passwords masked, so the test supplies them), IKE and NAT-T on free UDP
 * ports, the web server on a free TCP port of 127.0.0.1.
 */
import { WebSocket } from 'ws';
import { DEFAULT_CONFIG_TEXT } from '../../../src/config/default-config.js';
import { RtxRouter } from '../../../src/router/rtx-router.js';
import type { ServerMessage } from '../../../src/web/messages.js';
import { startWebServer, type RunningWebServer } from '../../../src/web/web-server.js';

export const LOGIN_PASSWORD = 'web-login-7f3a';
export const ADMIN_PASSWORD = 'web-admin-91c2';
/** The seed's pre-shared key (`ipsec ike pre-shared-key 1 text PSKEY1`). */
export const SEED_PSK = 'PSKEY1';

/**
 * The bundled client's waits for a router on loopback: it answers within milliseconds, so 0.3 s
 * of silence after Quick Mode message 3 confirms the tunnel (the default waits out a whole RTX
 * resend interval, 6 s).
 */
export const LOOPBACK_CLIENT_TIMING = { message3QuietMs: 300 } as const;

export interface WebRouter {
  readonly router: RtxRouter;
  readonly web: RunningWebServer;
  dispose(): Promise<void>;
}

/**
 * `bind`: the router's IKE address (default 127.0.0.1). Wireshark tells initiator from responder
 * by address alone, so a capture meant for decryption needs the router on 127.0.0.2.
 */
export async function startWebRouter(options: { readonly bind?: string } = {}): Promise<WebRouter> {
  const router = await RtxRouter.create({
    // The seed sets no administrator password: one masked, supplied here, as a real config would hold it.
    config: { text: `${DEFAULT_CONFIG_TEXT}administrator password *\n` },
    bind: options.bind ?? '127.0.0.1',
    ikePort: 0,
    nattPort: 0,
    passwords: { login: LOGIN_PASSWORD, administrator: ADMIN_PASSWORD },
  });
  await router.start();
  const web = await startWebServer({ router, host: '127.0.0.1', port: 0 });
  return {
    router,
    web,
    dispose: async () => {
      await web.close();
      await router.stop();
    },
  };
}

/** A WebSocket to the web console that records every message the server sends. */
export interface RecordingSocket {
  readonly messages: ServerMessage[];
  /** The terminal output so far, as one string. */
  terminal(): string;
  send(data: string): void;
  /** Sends one frame as it is (a message of any type). */
  raw(text: string): void;
  /** Resolves when a message satisfies `test` (bounded wait). */
  until(test: (messages: readonly ServerMessage[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** `cookie`: a Cookie header to send with the upgrade (the session cookie, as a browser would). */
export function openSocket(web: RunningWebServer, origin: string | undefined = `http://127.0.0.1:${web.port}`, cookie?: string): Promise<RecordingSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, {
    ...(origin === undefined ? {} : { origin }),
    ...(cookie === undefined ? {} : { headers: { cookie } }),
  });
  const messages: ServerMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
  const recording: RecordingSocket = {
    messages,
    terminal: () => messages.flatMap((message) => (message.type === 'terminal-output' ? [message.data] : [])).join(''),
    send: (data) => socket.send(JSON.stringify({ type: 'terminal-input', data })),
    raw: (text) => socket.send(text),
    until: async (test, what, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (!test(messages)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages).slice(-600)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(recording));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused: HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}
