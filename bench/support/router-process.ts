/**
 * A router in a process of its own, for benches that measure the router's CPU apart from the
 * load generator's: started with the config text it is sent, it answers `{cpu}` requests with
 * its `process.cpuUsage()` and `{dh}` requests with the CPU one MODP-1024 key pair and shared
 * secret cost in this same process (the work a handshake must do), `{memory}` requests with its
 * heap after full collections, and stops on `{stop}`.
 */
import { performance } from 'node:perf_hooks';
import { computeDhSharedSecret, generateDhKeyPair } from '../../src/ike/crypto/index.js';
import type { ResponderLimits } from '../../src/ike-responder/responder.js';
import { startRtxRouter } from '../../src/index.js';

type Request =
  | { readonly type: 'start'; readonly config: string; readonly responderLimits?: Partial<ResponderLimits>; readonly maxTunnels?: number }
  | { readonly type: 'cpu' }
  | { readonly type: 'dh'; readonly rounds: number }
  /** Heap and RSS after two full collections (the process must run with --expose-gc). */
  | { readonly type: 'memory' }
  | { readonly type: 'stop' };

const send = (message: unknown, then?: () => void) => process.send?.(message, undefined, undefined, then);
let router: Awaited<ReturnType<typeof startRtxRouter>> | undefined;

/** CPU microseconds of one MODP-1024 key pair (256-bit exponent, as the router draws) plus one shared secret. */
function dhCostMicros(rounds: number): number {
  const peer = generateDhKeyPair(2);
  const before = process.cpuUsage();
  const started = performance.now();
  let done = 0;
  for (; done < rounds && performance.now() - started < 5_000; done++) {
    const ours = generateDhKeyPair(2);
    computeDhSharedSecret(ours, peer.publicValue);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / done;
}

process.on('message', async (request: Request) => {
  switch (request.type) {
    case 'start':
      router = await startRtxRouter({
        config: { text: request.config },
        ikePort: 0,
        nattPort: 0,
        ...(request.responderLimits ? { responderLimits: request.responderLimits } : {}),
        ...(request.maxTunnels === undefined ? {} : { maxTunnels: request.maxTunnels }),
      });
      return send({ type: 'listening', listening: router.listening });
    case 'cpu':
      return send({ type: 'cpu', cpu: process.cpuUsage() });
    case 'dh':
      return send({ type: 'dh', micros: dhCostMicros(request.rounds) });
    case 'memory': {
      const collect = (globalThis as { gc?: () => void }).gc;
      if (collect === undefined) throw new Error('router process: memory needs --expose-gc');
      collect();
      collect();
      const { heapUsed, rss } = process.memoryUsage();
      return send({ type: 'memory', heapUsed, rss, tables: router?.tableSizes() });
    }
    case 'stop':
      await router?.stop();
      send({ type: 'stopped' }, () => process.exit(0));
      return;
  }
});
