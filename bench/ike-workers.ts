/**
 * More than one core (issue 14 point 6): the design of docs/multi-core.md, prototyped and
 * measured. A front process (bench/support/ike-shards/front.ts) owns the UDP socket and hands
 * each datagram, by its initiator cookie, to an IKE shard in a worker thread; with no workers the
 * same shard runs on the front's own thread (today's one-thread shape, the same-run reference).
 *
 * The work is the most expensive message a responder answers: Aggressive Mode message 1s
 * (yms-vpn1's proposals, fresh cookies, seed config, debug log on), answered with message 2 (its
 * DH key pair, shared secret, SKEYID and HASH_R). They are built before the clock starts and sent
 * with a window in flight, so the sender costs the cores little (its CPU is reported beside).
 * Reports answers/s, the whole front process's CPU per answer, the front thread's alone, and the
 * speed-up of each worker count over the one-thread shape measured in the same run, rounds
 * alternating. On these 2 cores the sender shares them: the figure is what 2 cores give, not
 * what N would.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG_TEXT } from '../src/config/default-config.js';
import { buildAggressive1, drawPhase1Randomness, resolveInitiatorOptions } from '../src/initiator/index.js';
import { CLIENT_PROFILES } from '../src/initiator/profiles/catalogue.js';
import { profileTunnel } from '../src/initiator/profiles/overrides.js';
import { SEED_CLIENT_INPUTS } from '../src/initiator/profiles/profile.js';
import type { BenchReport, BenchRow } from './run.js';
import { askChildProcess } from './support/ask-router-process.js';

const ANSWERS = Number(process.env.IKE_WORKERS_ANSWERS ?? 1_500);
const WARMUP = 300;
const WINDOW = 32;
const ROUNDS = 2;
const WORKER_COUNTS = [0, 1, 2] as const;
const RUN_BOUND_MS = 60_000;
/**
 * What 2 cores can show: one thread already keeps about 1.3 cores busy (V8's collector and
 * compiler threads), the sender takes about a twentieth of one, and the workers' dispatch adds
 * about a tenth to each answer, so 2 workers can reach about 1.3x here.
 */
const SPEED_UP_TARGET = 1.15;

type FrontReply = { type: 'listening'; port: number } | { type: 'cpu'; processMicros: number; frontMicros: number } | { type: 'stopped' };

function ask<T extends FrontReply['type']>(child: ChildProcess, request: object, type: T, timeoutMs = 60_000): Promise<Extract<FrontReply, { type: T }>> {
  return askChildProcess<FrontReply, T>(child, request, type, timeoutMs, 'ike-shards front');
}

/** Message 1s with fresh cookies, built before any clock starts (each draws a client DH key pair). */
function message1s(count: number): Buffer[] {
  const built = profileTunnel(CLIENT_PROFILES['yms-vpn1'], { ...SEED_CLIENT_INPUTS, localAddress: '127.0.0.1' });
  if (!built.ok) throw new Error(built.text);
  const phase1 = resolveInitiatorOptions(built.options.phase1);
  return Array.from({ length: count }, () => buildAggressive1(phase1, drawPhase1Randomness(2, phase1.nonceLength)).bytes);
}

/** Sends the messages with WINDOW in flight; resolves with how many got their message 2 and the wall time. */
async function answer(port: number, messages: readonly Buffer[]): Promise<{ answered: number; wallMs: number; senderMicros: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const waiting = new Set(messages.map((message) => message.readBigUInt64BE(0)));
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const sendNext = () => {
    if (next < messages.length) socket.send(messages[next++]!, port, '127.0.0.1');
  };
  await new Promise<void>((resolve) => {
    const bound = setTimeout(resolve, RUN_BOUND_MS);
    socket.on('message', (reply) => {
      // Message 2 carries the initiator cookie in its first 8 bytes.
      if (reply.length < 8 || !waiting.delete(reply.readBigUInt64BE(0))) return;
      if (waiting.size === 0) {
        clearTimeout(bound);
        resolve();
      } else sendNext();
    });
    for (let i = 0; i < WINDOW; i++) sendNext();
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  socket.close();
  return { answered: messages.length - waiting.size, wallMs, senderMicros: cpu.user + cpu.system };
}

type Work = 'ike' | 'echo';

interface ShapeFigures {
  readonly work: Work;
  readonly workers: number;
  readonly answered: number;
  readonly perSecond: number;
  readonly processMsPerAnswer: number;
  readonly frontMsPerAnswer: number;
  readonly senderMsPerAnswer: number;
}

async function measureShape(work: Work, workers: number): Promise<ShapeFigures> {
  const front = fork(fileURLToPath(new URL('./support/ike-shards/front.ts', import.meta.url)), [], {
    execArgv: ['--openssl-legacy-provider', '--import', 'tsx', ...(process.env.IKE_WORKERS_FRONT_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.IKE_WORKERS_FRONT_PROFILE}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const limits = { maxHalfOpenSas: WARMUP + ANSWERS + 100, maxHalfOpenSasPerPeer: WARMUP + ANSWERS + 100 };
    const { port } = await ask(front, { type: 'start', work, config: DEFAULT_CONFIG_TEXT, workers, limits }, 'listening');
    await answer(port, message1s(WARMUP));
    const messages = message1s(ANSWERS);
    const before = await ask(front, { type: 'cpu' }, 'cpu');
    const run = await answer(port, messages);
    const after = await ask(front, { type: 'cpu' }, 'cpu');
    const per = (micros: number) => micros / 1000 / Math.max(1, run.answered);
    return {
      work,
      workers,
      answered: run.answered,
      perSecond: (run.answered * 1000) / run.wallMs,
      processMsPerAnswer: per(after.processMicros - before.processMicros),
      frontMsPerAnswer: per(after.frontMicros - before.frontMicros),
      senderMsPerAnswer: per(run.senderMicros),
    };
  } finally {
    await ask(front, { type: 'stop' }, 'stopped', 10_000).catch(() => front.kill());
  }
}

const shapeName = (workers: number) => (workers === 0 ? 'one thread (the front answers)' : `front + ${workers} IKE worker${workers === 1 ? '' : 's'}`);

export default async function ikeWorkersBench(): Promise<BenchReport> {
  const load = loadavg()[0]!;
  const figures: ShapeFigures[] = [];
  for (let round = 0; round < ROUNDS; round++) for (const workers of WORKER_COUNTS) figures.push(await measureShape('ike', workers));
  // Dispatch alone: every datagram sent straight back, by the front itself or by a worker.
  const echo = [await measureShape('echo', 0), await measureShape('echo', 1)] as const;
  const rows: BenchRow[] = [{ metric: 'work', value: `${ANSWERS} Aggressive Mode message 1s answered (seed config, debug on), ${WINDOW} in flight, ${ROUNDS} alternating rounds; load average ${load.toFixed(1)} on ${availableParallelism()} cores` }];
  const best = (workers: number) => Math.max(...figures.filter((f) => f.workers === workers).map((f) => f.perSecond));
  const dispatchMs = echo[1].frontMsPerAnswer;
  const workerMsPerAnswer = Math.min(...figures.filter((f) => f.workers === 1).map((f) => f.processMsPerAnswer - f.frontMsPerAnswer));
  for (const f of figures) {
    rows.push({
      metric: `message 1s, ${shapeName(f.workers)}: ${f.answered} of ${ANSWERS}`,
      value: `${f.perSecond.toFixed(0)} answers/s; process CPU ${f.processMsPerAnswer.toFixed(2)} ms/answer, front thread ${f.frontMsPerAnswer.toFixed(3)} ms; sender ${f.senderMsPerAnswer.toFixed(3)} ms`,
    });
  }
  const speedUp = best(2) / best(0);
  rows.push({ metric: 'speed-up, front + 2 workers over one thread (best round each)', value: `${speedUp.toFixed(2)}x` });
  for (const f of echo) {
    rows.push({ metric: `dispatch alone, ${f.workers === 0 ? 'the front echoes' : 'a worker echoes'}: ${f.answered} of ${ANSWERS}`, value: `${f.perSecond.toFixed(0)} echoes/s; front thread ${f.frontMsPerAnswer.toFixed(3)} ms per datagram in and out` });
  }
  rows.push({
    metric: 'front thread per datagram handed to a worker and answered, against a worker\'s CPU per answered message 1',
    value: `${dispatchMs.toFixed(3)} ms against ${workerMsPerAnswer.toFixed(2)} ms: one front could feed about ${Math.floor(workerMsPerAnswer / Math.max(1e-6, dispatchMs))} busy workers`,
  });
  const complete = [...figures, ...echo].every((f) => f.answered === ANSWERS);
  const coresUsed = (workers: number) => Math.max(...figures.filter((f) => f.workers === workers).map((f) => (f.perSecond * f.processMsPerAnswer) / 1000));
  rows.push({ metric: 'cores the front process keeps busy (best round): one thread; front + 2 workers', value: `${coresUsed(0).toFixed(2)}; ${coresUsed(2).toFixed(2)} of ${availableParallelism()}` });
  return {
    name: 'ike-workers',
    rows,
    target: { description: `a second core used when one is saturated: front + 2 workers >= ${SPEED_UP_TARGET}x one thread (here the sender shares the 2 cores)`, met: complete && speedUp >= SPEED_UP_TARGET },
  };
}

