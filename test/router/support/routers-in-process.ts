/**
 * Routers started in the test's own process through the library API (`RtxRouter.create` and
 * `start`, hints off), each on its own loopback address and the same ports (rtxlab routers send to
 * the ports they listen on), all stopped after each test.
 */
import { afterEach } from 'vitest';
import { RtxRouter } from '../../../src/router/rtx-router.js';
import type { RtxRouterOptions } from '../../../src/router/rtx-router-api.js';

/** Call at a test file's top level: registers the stop after each test and returns `start`. */
export function routersInProcess(ports: { readonly ikePort: number; readonly nattPort: number }) {
  const running: RtxRouter[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((router) => router.stop()));
  });
  return async function start(text: string, bind: string, extra: Partial<RtxRouterOptions> = {}): Promise<RtxRouter> {
    const router = await RtxRouter.create({ config: { text }, bind, ...ports, hints: false, ...extra });
    running.push(router);
    await router.start();
    return router;
  };
}

/** The router's log messages, oldest first. */
export const logText = (router: RtxRouter): string[] => router.logEntries().map((entry) => entry.message);
