/**
 * A router in a process of its own, for benches that measure the router's CPU apart from the
 * load generator's: started with the config text it is sent, it answers `{cpu}` requests with
 * its `process.cpuUsage()` and `{dh}` requests with the CPU one MODP-1024 key pair and shared
 * secret cost in this same process (the work a handshake must do), `{esp-raw}` with the CPU of
 * one raw ESP seal + open pair (the work an answered ESP packet must do), `{memory}` requests with
 * its heap after full collections, `{echo}` with the port of a UDP socket beside the router that
 * sends every datagram back (node's own cost per datagram in and out), `{heap-snapshot}` by
 * writing one, and stops on `{stop}`.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { computeDhSharedSecret, generateDhKeyPair } from '../../src/ike/crypto/index.js';
import type { ResponderLimits } from '../../src/ike-responder/responder.js';
import type { EspTransform } from '../../src/esp/index.js';
import { startRtxRouter } from '../../src/index.js';
import { rawPairs, referenceSa } from './raw-esp-crypto.js';

type Request =
  | { readonly type: 'start'; readonly config: string; readonly responderLimits?: Partial<ResponderLimits>; readonly maxTunnels?: number; readonly udpReceiveBufferBytes?: number }
  | { readonly type: 'cpu' }
  | { readonly type: 'dh'; readonly rounds: number }
  /** CPU of one raw node-crypto ESP seal + open pair (bench/support/raw-esp-crypto.ts) in this process. */
  | { readonly type: 'esp-raw'; readonly transform: EspTransform; readonly innerBytes: number; readonly ms: number }
  /** Heap and RSS after two full collections (the process must run with --expose-gc). */
  | { readonly type: 'memory' }
  /** A V8 heap snapshot written to `path` (after the same collections): what the heap holds, by object. */
  | { readonly type: 'heap-snapshot'; readonly path: string }
  /** A UDP socket beside the router that sends every datagram back: what node alone costs per datagram in and out. */
  | { readonly type: 'echo' }
  | { readonly type: 'stop' };

/**
 * RTXLAB_BENCH_WINDOW_PROFILE=DIR: a CPU profile of the measured window only, from the first
 * `{cpu}` request to the second (a bench reads the router's CPU before and after its run).
 */
const windowProfileDir = process.env.RTXLAB_BENCH_WINDOW_PROFILE;
let profiler: Session | undefined;
let cpuReads = 0;

async function profileWindow(): Promise<void> {
  if (windowProfileDir === undefined) return;
  cpuReads++;
  const post = (method: string) => new Promise<unknown>((resolve, reject) => profiler!.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  if (cpuReads === 1) {
    profiler = new Session();
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  } else if (cpuReads === 2 && profiler) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    mkdirSync(windowProfileDir, { recursive: true });
    writeFileSync(join(windowProfileDir, `window-${process.pid}.cpuprofile`), JSON.stringify(profile));
  }
}

const send = (message: unknown, then?: () => void) => process.send?.(message, undefined, undefined, then);
let router: Awaited<ReturnType<typeof startRtxRouter>> | undefined;
let echo: Socket | undefined;

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
        ...(request.udpReceiveBufferBytes === undefined ? {} : { udpReceiveBufferBytes: request.udpReceiveBufferBytes }),
      });
      return send({ type: 'listening', listening: router.listening });
    case 'cpu': {
      const cpu = process.cpuUsage();
      await profileWindow();
      return send({ type: 'cpu', cpu });
    }
    case 'dh':
      return send({ type: 'dh', micros: dhCostMicros(request.rounds) });
    case 'esp-raw': {
      const { pairs, cpuMicros } = rawPairs(referenceSa(request.transform), request.innerBytes, request.ms, 1_000_000);
      return send({ type: 'esp-raw', micros: cpuMicros / pairs });
    }
    case 'memory': {
      const collect = (globalThis as { gc?: () => void }).gc;
      if (collect === undefined) throw new Error('router process: memory needs --expose-gc');
      collect();
      collect();
      const { heapUsed, rss } = process.memoryUsage();
      return send({ type: 'memory', heapUsed, rss, tables: router?.tableSizes() });
    }
    case 'heap-snapshot': {
      (globalThis as { gc?: () => void }).gc?.();
      return send({ type: 'heap-snapshot', path: writeHeapSnapshot(request.path) });
    }
    case 'echo': {
      const socket = createSocket('udp4');
      socket.on('message', (bytes, from) => socket.send(bytes, from.port, from.address));
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      echo = socket;
      return send({ type: 'echo', port: socket.address().port });
    }
    case 'stop':
      echo?.close();
      await router?.stop();
      send({ type: 'stopped' }, () => process.exit(0));
      return;
  }
});
