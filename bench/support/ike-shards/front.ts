/**
 * The front of the multi-core prototype (docs/multi-core.md), in a process of its own: it owns
 * the UDP socket, reads the 8-byte initiator cookie of each datagram and hands the datagram to
 * the IKE shard chosen by it (a worker thread each), then sends what the shard answers and
 * keeps the shard's other effects in one ordered log ring, as the design's front would. With no
 * workers, the same shard runs on the front's own thread: today's one-thread shape, the
 * reference. Not the router: no console, views, ESP, timers or shared pools; it exists to
 * measure what the design's dispatch costs and what a second core buys (bench/ike-workers.ts).
 *
 * Requests (process messages): `start` {work, config, workers, limits} -> `listening` {port};
 * `cpu` -> the process's CPU and the front thread's alone (µs); `stop`.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { RingBuffer } from '../../../src/router/ring-buffer.js';
import { createShard, type ShardOutput, type ShardSettings } from './shard.js';

type FrontRequest =
  | { readonly type: 'start'; readonly work: ShardSettings['work']; readonly config: string; readonly workers: number; readonly limits: ShardSettings['limits'] }
  | { readonly type: 'cpu' }
  | { readonly type: 'stop' };

const send = (message: unknown, then?: () => void) => process.send?.(message, undefined, undefined, then);
const socket = createSocket('udp4');
const workers: Worker[] = [];
/** The front's one log, in arrival order (the router's ring and size). */
const log = new RingBuffer<string | undefined>(10_000);

/** CPU time of this process's main thread (the front) alone: schedstat's first field, in ns. */
function frontThreadMicros(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
}

function deliver(output: ShardOutput): void {
  for (const out of output.sends) socket.send(Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength), out.port, out.address);
  for (const record of output.records) log.push(record.text);
}

/** A worker thread running worker.ts under tsx (node 20 does not pass `--import tsx` loaders on to workers). */
function startWorker(settings: ShardSettings): Promise<Worker> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { type: 'ready' } | ({ type: 'output' } & ShardOutput)) => {
      if (message.type === 'ready') resolve(worker);
      else deliver(message);
    });
    worker.postMessage({ type: 'init', settings });
  });
}

async function start(request: Extract<FrontRequest, { type: 'start' }>): Promise<number> {
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = { address: '127.0.0.1', port: socket.address().port };
  const settings: ShardSettings = { work: request.work, config: request.config, limits: request.limits, local };
  if (request.workers === 0) {
    const answer = createShard(settings);
    socket.on('message', (bytes, from) => deliver(answer({ bytes, address: from.address, port: from.port }, Date.now())));
    return local.port;
  }
  workers.push(...(await Promise.all(Array.from({ length: request.workers }, () => startWorker(settings)))));
  socket.on('message', (bytes, from) => {
    // Every message of an ISAKMP SA carries the initiator's cookie: its low 4 bytes (random) choose the shard.
    if (bytes.length < 8) return;
    const shard = workers[bytes.readUInt32BE(4) % workers.length]!;
    const copy = new Uint8Array(bytes); // a buffer of its own, moved to the worker, not cloned
    shard.postMessage({ type: 'datagram', bytes: copy, address: from.address, port: from.port }, [copy.buffer]);
  });
  return local.port;
}

process.on('message', async (request: FrontRequest) => {
  switch (request.type) {
    case 'start':
      return send({ type: 'listening', port: await start(request) });
    case 'cpu': {
      const usage = process.cpuUsage();
      return send({ type: 'cpu', processMicros: usage.user + usage.system, frontMicros: frontThreadMicros() });
    }
    case 'stop':
      await Promise.all(workers.map((worker) => worker.terminate()));
      socket.close();
      send({ type: 'stopped' }, () => process.exit(0));
      return;
  }
});
