/**
 * ESP through the emulator: an `RtxRouter` on the seed config (its SA policy set to the
 * transform), the bundled client negotiates a tunnel with it, then seals 1400-byte ICMP echo
 * requests to the router's lan1 address with the negotiated keys and sends them as ESP in UDP
 * from its NAT-T socket; the router opens, answers and seals the reply, and the client opens it. Every round trip is two
 * seal+open pairs (one each way, both in this process), so the reference is raw node crypto
 * doing two pairs' worth of CBC + HMAC on the same bytes, measured in the same run.
 * Mbit/s count inner bytes both ways. A window of packets is kept in flight.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  ESP_ENCRYPTION_SPECS,
  ESP_INTEGRITY_SPECS,
  NextHeader,
  createEspSa,
  createInboundSa,
  createOutboundSa,
  receiveEspPacket,
  sendEspPacket,
  type EspSa,
  type EspTransform,
  type InboundSaState,
  type OutboundSaState,
} from '../src/esp/index.js';
import { buildIcmpEchoRequest } from '../src/esp/ip/index.js';
import type { CipherId } from '../src/ike/crypto/index.js';
import { connectClient, DEFAULT_CONFIG_TEXT, startRtxRouter } from '../src/index.js';
import type { EspDatagramPath } from '../src/initiator/index.js';
import type { BenchReport, BenchRow } from './run.js';
import { askRouterProcess } from './support/ask-router-process.js';
import { rawPairs } from './support/raw-esp-crypto.js';

const INNER_BYTES = 1400;
const ICMP_DATA = INNER_BYTES - 20 - 8;
const RUN_MS = 1500;
const RAW_MS = 750;
/** Bounds every loop in count as well as in time. */
const MAX_ROUND_TRIPS = 500_000;
const WINDOW = 32;
/** In flight for the router-process figure: enough that the router never waits for the client. */
const SATURATING_WINDOW = 256;
/** Sealed ahead per run of the router-process figure (bounds; the count comes from the warm-up). */
const MIN_PRESEALED = 5_000;
const MAX_PRESEALED = 120_000;
/** The router-process window: longer than RUN_MS, as this figure is the one the target is read from. */
const ROUTER_PROCESS_RUN_MS = 3_000;
const TARGET_RATIO = 0.6;
const ROUTER_ADDRESS = '10.1.1.1';
const CLIENT_ADDRESS = '10.1.1.110';

const TRANSFORMS: readonly { readonly label: string; readonly policy: string; readonly transform: EspTransform & { encryption: CipherId; integrity: 'hmac-sha1-96' } }[] = [
  { label: '3DES-SHA1', policy: 'esp 3des-cbc sha-hmac', transform: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } },
  { label: 'AES128-SHA1', policy: 'esp aes-cbc sha-hmac', transform: { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' } },
];

function directionKeys(transform: EspTransform, spi: number) {
  const spiBytes = Buffer.alloc(4);
  spiBytes.writeUInt32BE(spi);
  return {
    spi: spiBytes,
    encryptionKey: randomBytes(ESP_ENCRYPTION_SPECS[transform.encryption].keyLength),
    integrityKey: randomBytes(ESP_INTEGRITY_SPECS[transform.integrity].keyLength),
  };
}

/** Round trips per second through a running router, over a tunnel the bundled client negotiated. */
async function throughRouter({ policy, transform }: (typeof TRANSFORMS)[number]): Promise<number> {
  const config = DEFAULT_CONFIG_TEXT.replace('ipsec sa policy 1 1 esp 3des-cbc sha-hmac', `ipsec sa policy 1 1 ${policy}`).replace('syslog debug on', 'syslog debug off');
  const router = await startRtxRouter({ config: { text: config }, ikePort: 0, nattPort: 0 });
  const result = await connectClient({ gateway: router.listening!, overrides: { esp: transform } });
  try {
    if (result.outcome !== 'established' || !result.espSas || !result.tunnel?.esp) throw new Error(`no tunnel: ${result.outcome === 'failed' ? result.failure.text : 'no ESP path'}`);
    const path = result.tunnel.esp;
    let outbound: OutboundSaState = createOutboundSa(createEspSa(transform, result.espSas.outbound), { lifetime: {}, now: 0 });
    let inbound: InboundSaState = createInboundSa(createEspSa(transform, result.espSas.inbound), { lifetime: {}, now: 0 });
    const clientAddress = result.modeCfg?.address ?? CLIENT_ADDRESS;
    const data = randomBytes(ICMP_DATA);
    let sequence = 0;
    const sendOne = () => {
      const request = buildIcmpEchoRequest({ source: clientAddress, destination: ROUTER_ADDRESS, identifier: 1, sequenceNumber: sequence++ & 0xffff, data });
      const step = sendEspPacket(outbound, request, NextHeader.IPV4, 0);
      outbound = step.state;
      if (step.outcome.kind !== 'sealed') throw new Error(step.outcome.reason);
      void path.send(step.outcome.packet);
    };
    return await new Promise<number>((resolve, reject) => {
      const start = performance.now();
      let answered = 0;
      let inFlight = 0;
      const finish = () => resolve(answered / ((performance.now() - start) / 1000));
      // A lost datagram must not hang the bench: top the window up on a timer as well.
      const refill = setInterval(() => {
        while (inFlight < WINDOW) {
          inFlight++;
          sendOne();
        }
      }, 20);
      const unsubscribe = path.onPacket((bytes) => {
        const step = receiveEspPacket(inbound, bytes, 0);
        inbound = step.state;
        if (step.outcome.kind !== 'delivered') return reject(new Error(`reply not delivered: ${JSON.stringify(step.outcome)}`));
        answered++;
        inFlight = Math.max(0, inFlight - 1);
        if (performance.now() - start >= RUN_MS || answered >= MAX_ROUND_TRIPS) {
          clearInterval(refill);
          unsubscribe();
          return finish();
        }
        inFlight++;
        sendOne();
      });
      for (; inFlight < WINDOW; inFlight++) sendOne();
    });
  } finally {
    if (result.outcome === 'established') await result.tunnel?.close();
    await router.stop();
  }
}

/**
 * The router in a process of its own (bench/support/router-process.ts), the client here: the
 * router's CPU per answered packet (open the request, answer, seal the reply, two UDP syscalls)
 * against the CPU of one raw seal + open pair in that same process. At saturation a core's
 * throughput is the inverse of its CPU per packet, so this ratio is the router's throughput
 * against raw crypto's, without the client's own crypto in the figure and with less of the
 * machine's noise (CPU time, not wall time).
 */
async function routerProcessCpu({ policy, transform }: (typeof TRANSFORMS)[number]): Promise<{ routerMicros: number; rawMicros: number; roundTrips: number }> {
  const config = DEFAULT_CONFIG_TEXT.replace('ipsec sa policy 1 1 esp 3des-cbc sha-hmac', `ipsec sa policy 1 1 ${policy}`).replace('syslog debug on', 'syslog debug off');
  const child = fork(fileURLToPath(new URL('./support/router-process.ts', import.meta.url)), [], {
    execArgv: ['--openssl-legacy-provider', '--import', 'tsx', ...(process.env.RTXLAB_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RTXLAB_BENCH_PROFILE}`] : [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const { listening } = await askRouterProcess(child, { type: 'start', config }, 'listening', 30_000);
    const result = await connectClient({ gateway: listening, overrides: { esp: transform } });
    if (result.outcome !== 'established' || !result.espSas || !result.tunnel?.esp) throw new Error(`no tunnel: ${result.outcome === 'failed' ? result.failure.text : 'no ESP path'}`);
    try {
      const pump = presealedPump(transform, result.espSas, result.tunnel.esp, result.modeCfg?.address ?? CLIENT_ADDRESS);
      // Warm-up (JIT, the router's lazily made CBC streams), which also tells how many packets
      // the measured window needs sealed ahead: twice what the warm-up rate would answer.
      const warmUpMs = RUN_MS / 3;
      const warmUpAnswered = await pump(warmUpMs, MIN_PRESEALED)();
      const presealed = Math.min(MAX_PRESEALED, Math.max(MIN_PRESEALED, Math.ceil(((warmUpAnswered * ROUTER_PROCESS_RUN_MS) / warmUpMs) * 2)));
      const measured = pump(ROUTER_PROCESS_RUN_MS, presealed); // sealed before the router's clock is read
      const before = (await askRouterProcess(child, { type: 'cpu' }, 'cpu', 30_000)).cpu;
      const roundTrips = await measured();
      const after = (await askRouterProcess(child, { type: 'cpu' }, 'cpu', 30_000)).cpu;
      const routerMicros = (after.user + after.system - before.user - before.system) / roundTrips;
      const { micros: rawMicros } = await askRouterProcess(child, { type: 'esp-raw', transform, innerBytes: INNER_BYTES, ms: RAW_MS }, 'esp-raw', 30_000);
      return { routerMicros, rawMicros, roundTrips };
    } finally {
      await result.tunnel.close();
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await askRouterProcess(child, { type: 'stop' }, 'stopped', 30_000).catch(() => undefined);
    // A CPU profile (RTXLAB_BENCH_PROFILE) is written as the process exits by itself.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill();
  }
}

/**
 * A client that costs the router's core nothing and keeps it saturated: the echo requests are
 * sealed before the clock starts (in sequence order, as the router's anti-replay window wants),
 * then sent with a window in flight; replies are counted, and the first few opened to check
 * they are real answers. Resolves with the replies counted once `ms` is over (the last window
 * is waited for, bounded, so that the router's CPU read afterwards covers only counted work).
 */
function presealedPump(transform: EspTransform, keys: { outbound: Parameters<typeof createEspSa>[1]; inbound: Parameters<typeof createEspSa>[1] }, path: EspDatagramPath, clientAddress: string) {
  let outbound: OutboundSaState = createOutboundSa(createEspSa(transform, keys.outbound), { lifetime: {}, now: 0 });
  let inbound: InboundSaState = createInboundSa(createEspSa(transform, keys.inbound), { lifetime: {}, now: 0 });
  const data = randomBytes(ICMP_DATA);
  let sequence = 0;
  const seal = (): Buffer => {
    const request = buildIcmpEchoRequest({ source: clientAddress, destination: ROUTER_ADDRESS, identifier: 1, sequenceNumber: sequence++ & 0xffff, data });
    const step = sendEspPacket(outbound, request, NextHeader.IPV4, 0);
    outbound = step.state;
    if (step.outcome.kind !== 'sealed') throw new Error(step.outcome.reason);
    return step.outcome.packet;
  };
  let checked = 0;
  return (ms: number, count: number) => {
    const packets = Array.from({ length: count }, seal);
    return () => new Promise<number>((resolve, reject) => {
      let next = 0;
      let answered = 0;
      let stopping = false;
      const start = performance.now();
      const sendOne = () => {
        if (next < packets.length) void path.send(packets[next++]!);
      };
      const finish = (error?: Error) => {
        clearInterval(watch);
        unsubscribe();
        if (error) reject(error);
        else resolve(answered);
      };
      const watch = setInterval(() => {
        if (!stopping && performance.now() - start >= ms) stopping = true;
        // The last window: answered, lost, or given up after 200 ms.
        if (stopping && (answered >= next || performance.now() - start >= ms + 200)) finish();
      }, 10);
      const unsubscribe = path.onPacket((bytes) => {
        if (checked < 5) {
          const step = receiveEspPacket(inbound, bytes, 0);
          inbound = step.state;
          if (step.outcome.kind !== 'delivered') return finish(new Error(`reply not delivered: ${JSON.stringify(step.outcome)}`));
          checked++;
        }
        answered++;
        if (!stopping && performance.now() - start < ms) sendOne();
      });
      for (let index = 0; index < SATURATING_WINDOW; index++) sendOne();
    });
  };
}

/** Seal+open pairs per second of raw node crypto for this SA's packet size. */
function rawPairsPerSecond(sa: EspSa): number {
  const { pairs, wallMs } = rawPairs(sa, INNER_BYTES, RAW_MS, MAX_ROUND_TRIPS * 2);
  return pairs / (wallMs / 1000);
}

const mbits = (packetsPerSecond: number): number => (packetsPerSecond * INNER_BYTES * 8) / 1e6;

export default async function espRouterThroughputBench(): Promise<BenchReport> {
  const rows: BenchRow[] = [{ metric: 'inner packet size', value: `${INNER_BYTES} bytes, ICMP echo to lan1 over UDP 127.0.0.1, window ${WINDOW}` }];
  let targetMet = true;
  for (const entry of TRANSFORMS) {
    const { label, transform } = entry;
    const sa = createEspSa(transform, directionKeys(transform, 0x3000));
    const raw = rawPairsPerSecond(sa);
    const roundTrips = await throughRouter(entry);
    // Each round trip carries one inner packet each way: two seal+open pairs.
    const ratio = (roundTrips * 2) / raw;
    targetMet &&= ratio >= TARGET_RATIO;
    const separate = await routerProcessCpu(entry);
    // One raw seal+open pair is the crypto an answered packet needs from the router.
    const cpuRatio = separate.rawMicros / separate.routerMicros;
    targetMet &&= cpuRatio >= TARGET_RATIO;
    rows.push(
      { metric: `${label} raw node crypto (seal+open pairs)`, value: `${mbits(raw).toFixed(0)} Mbit/s` },
      { metric: `${label} through the router (both ways, client in the same process)`, value: `${mbits(roundTrips * 2).toFixed(0)} Mbit/s` },
      { metric: `${label} router / raw (same process)`, value: `${(ratio * 100).toFixed(0)}%` },
      {
        metric: `${label} router process: CPU per answered packet / raw seal+open pair`,
        value: `${separate.routerMicros.toFixed(1)} us / ${separate.rawMicros.toFixed(1)} us (${separate.roundTrips} packets)`,
      },
      { metric: `${label} router process: raw / router (throughput ratio at saturation)`, value: `${(cpuRatio * 100).toFixed(0)}%` },
    );
  }
  return {
    name: 'esp-router-throughput',
    rows,
    target: { description: `ESP through the router >= ${TARGET_RATIO * 100}% of raw node crypto (both measures)`, met: targetMet },
  };
}
