/**
 * Real routers for console tests: an `RtxRouter` from config text on a ManualClock (log stamps,
 * `login timer` and lifetimes move only when a test says), saving to a file of its own; started
 * on 127.0.0.1 with ephemeral ports when a test needs IKE (the bundled client connecting).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, type ReadResult } from '../../../src/config/read-config.js';
import { ManualClock } from '../../../src/router/clock.js';
import { connectClient } from '../../../src/initiator/connect-client.js';
import type { OpenTunnel, TunnelSessionResult } from '../../../src/initiator/tunnel-session.js';
import { RtxRouter } from '../../../src/router/rtx-router.js';
import type { RtxRouterOptions } from '../../../src/router/rtx-router-api.js';

/** 2026-12-05 00:00:00 UTC: the log reads 09:00:00 (JST). */
export const TEST_START = Date.UTC(2026, 11, 5, 0, 0, 0);

export interface TestRouter {
  readonly router: RtxRouter;
  readonly clock: ManualClock;
  /** Where `save` writes. */
  readonly savePath: string;
  /** What `save` wrote last (undefined before the first). */
  saved(): string | undefined;
  dispose(): Promise<void>;
}

export function testRouter(text: string, options: Partial<RtxRouterOptions> = {}): TestRouter {
  const clock = new ManualClock(TEST_START);
  const dir = mkdtempSync(join(tmpdir(), 'rtxlab-console-'));
  const savePath = join(dir, 'config.txt');
  const router = new RtxRouter(
    // RtxRouter's constructor takes the config already read (create() reads files).
    readConfigChecked(text),
    { config: { text }, clock, saveTo: savePath, bind: '127.0.0.1', ikePort: 0, nattPort: 0, ...options },
  );
  return {
    router,
    clock,
    savePath,
    saved: () => {
      try {
        return readFileSync(savePath, 'utf8');
      } catch {
        return undefined;
      }
    },
    dispose: async () => {
      await router.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readConfigChecked(text: string): ReadResult {
  const read = readConfig(text);
  if (read.problems.length > 0) throw new Error(`bad test config: ${JSON.stringify(read.problems)}`);
  return read;
}

/**
 * Starts the router on ephemeral ports and connects the bundled client to it, returning once the
 * router itself reports the tunnel up (the client is done before the router has read its last
 * message). The tunnel stays open for the caller to close.
 */
export async function startWithClientConnected(
  test: TestRouter,
): Promise<{ listening: NonNullable<RtxRouter['listening']>; connected: Extract<TunnelSessionResult, { outcome: 'established' }>; tunnel: OpenTunnel | undefined }> {
  const listening = await test.router.start();
  const tunnelUp = test.router.waitFor('tunnel-up', undefined, 20_000);
  const connected = await connectClient({ gateway: listening });
  await tunnelUp;
  if (connected.outcome !== 'established') throw new Error(`the bundled client did not connect: ${JSON.stringify(connected.failure)}`);
  return { listening, connected, tunnel: connected.tunnel };
}
