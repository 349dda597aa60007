/**
 * A worker thread holding one IKE shard (shard.ts): initialised with the shard's settings, then
 * one reply per datagram the front posts, in order.
 */
import { parentPort } from 'node:worker_threads';
import { createShard, type ShardInput, type ShardSettings } from './shard.js';

type WorkerRequest = { readonly type: 'init'; readonly settings: ShardSettings } | ({ readonly type: 'datagram' } & ShardInput);

const port = parentPort;
if (!port) throw new Error('ike-shards/worker.ts runs as a worker thread');
let answer: ReturnType<typeof createShard> | undefined;
port.on('message', (request: WorkerRequest) => {
  if (request.type === 'init') {
    answer = createShard(request.settings);
    port.postMessage({ type: 'ready' });
    return;
  }
  if (!answer) throw new Error('ike-shards worker: a datagram before init');
  port.postMessage({ type: 'output', ...answer(request, Date.now()) });
});
