/**
 * The structure-aware fuzzer (issue 10, point 6): a client made of the bundled initiator's pure
 * builders is driven to each exchange state of a remote-access session against a real
 * RtxIkeResponder (message 2 sent, XAUTH REPLY awaited, XAUTH ACK awaited, mode-cfg ACK awaited,
 * ready for Quick Mode, Quick Mode message 2 sent, IPsec SAs up, Informational), and there it
 * receives mutated but well-framed messages carrying the live cookies, M-IDs and a valid IV
 * (payload order, types, lengths, attribute formats, next-payload chains, HASH, garbage behind
 * a valid IV, huge SA offers within the caps, ...), replays of its own older datagrams, and
 * authenticated Deletes and notifies naming another peer's SPIs and cookies.
 *
 * After every injected datagram: nothing escapes (no internal error), the tables stay within
 * their limits and consistent (every leased address held by a live SA), the log lines it caused
 * are bounded, and an unrelated established peer (another tunnel, another address) still has its
 * SAs and gets its DPD answered. After the injections the session either continues correctly
 * (the genuine client completes XAUTH, mode-cfg and Quick Mode with matching keys, then closes)
 * or ends cleanly; either way every table returns to the bystander's baseline.
 *
 * Seeded: a failure names its seed and trial. RTXLAB_FUZZ_ITERATIONS sets the number of trials
 * (default below) for long local runs.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeType, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import { MAX_PAYLOADS_PER_MESSAGE } from '../../src/ike/codec/index.js';
import { isDropLine } from '../../src/ike-responder/log-lines.js';
import type { ResponderEffect } from '../../src/ike-responder/port.js';
import { RtxIkeResponder } from '../../src/ike-responder/responder.js';
import { parseInformational, type EspSaPair } from '../../src/initiator/index.js';
import { SEED_POOLS, connectSeedClient, inbound, seedTunnelGateway, seedXauthUsers, seededRandomBytes, type ClientFlow } from '../ike-responder/support.js';
import { seededRandom, type SeededRandom } from './support/seeded-random.js';
import { EXCHANGE_STATES, QUICK_MODE_OPTIONS, SessionStepFailed, VictimSession, type Clock, type ExchangeState } from './support/victim-session.js';
import { MUTATIONS, draftOf, encodeDraft } from './support/wire-mutations.js';

const DEFAULT_TRIALS = 240;
const TRIALS = Number(process.env['RTXLAB_FUZZ_ITERATIONS'] ?? DEFAULT_TRIALS);
const SEED = 0x15000803;
/** Short timers so a trial's leftovers (half-open SAs, abandoned Quick Modes) expire within its cleanup. */
const LIMITS = { halfOpenTimeoutMs: 2_000, quickModeTimeoutMs: 2_000, retransmitIntervalMs: 500, retransmissions: 3, maxHalfOpenSas: 40, maxIsakmpSas: 60, maxIpsecSaPairs: 20 };
/** How far the clock jumps after a trial: past every half-open, Quick Mode and resend schedule. */
const CLEANUP_MS = 10_000;
/**
 * Log lines one datagram may cause, with `syslog debug on` and every `ipsec ike log` option: one
 * per payload of the message received (payload-info, at most MAX_PAYLOADS_PER_MESSAGE decoded),
 * a message-info line each way, and a few for an answer and a verdict. Lines that are not debug
 * lines: a handful at most.
 */
const MAX_LINES_PER_DATAGRAM = MAX_PAYLOADS_PER_MESSAGE + 16;
const MAX_NON_DEBUG_LINES_PER_DATAGRAM = 4;

const VICTIM = { address: '192.0.2.150', port: 500 };
/** Behind the same NAT as the victim: its address, another port (the hardest case for "unrelated"). */
const BYSTANDER = { address: VICTIM.address, port: 1500 };
const BYSTANDER_ID = 'bystander';
const BYSTANDER_PSK = 'BYSTANDER-KEY';

type Outcome = 'continued' | 'accepted as a step' | 'ended';

interface Figures {
  trials: number;
  injections: number;
  /** Injections known not to authenticate (checked to cause only rate-limited drop lines). */
  unauthenticated: number;
  byState: Map<ExchangeState, number>;
  byMutation: Map<string, number>;
  outcomes: Map<Outcome, number>;
  maxLines: number;
  maxNonDebugLines: number;
}

function fuzzResponder(): RtxIkeResponder {
  const everyLog = { messageInfo: true, payloadInfo: true, keyInfo: true };
  const victimTunnel = seedTunnelGateway({ log: everyLog, keepalive: { use: 'on', method: 'dpd', intervalSeconds: 10, count: 3, log: true } });
  const bystanderTunnel = { ...seedTunnelGateway(), gatewayId: 2, tunnelId: 2, remoteName: BYSTANDER_ID, preSharedKey: { kind: 'text' as const, text: BYSTANDER_PSK } };
  return new RtxIkeResponder(
    { gateways: [victimTunnel, bystanderTunnel], syslogDebug: true, xauthUsers: seedXauthUsers(), addressPools: SEED_POOLS },
    { randomBytes: seededRandomBytes('exchange-state-fuzz'), limits: LIMITS },
  );
}

/** The unrelated peer: XAUTH, mode-cfg and one IPsec SA pair on tunnel 2, from its own address. */
function connectBystander(responder: RtxIkeResponder, clock: Clock) {
  const { flow } = connectSeedClient(responder, {
    client: { identity: { kind: 'fqdn', name: BYSTANDER_ID }, preSharedKey: Buffer.from(BYSTANDER_PSK) },
    leg: { from: BYSTANDER, natTraversal: false },
    now: clock.now,
    seed: 'bystander',
  });
  const quickMode = flow.quickMode(QUICK_MODE_OPTIONS);
  clock.now = flow.now;
  return { flow, espSas: quickMode.espSas as EspSaPair };
}

function logLines(effects: readonly ResponderEffect[]): { all: string[]; nonDebug: string[] } {
  const all = effects.flatMap((effect) => (effect.kind === 'log' ? [effect] : []));
  return { all: all.map((line) => line.message), nonDebug: all.filter((line) => line.level !== 'debug').map((line) => line.message) };
}

describe('structure-aware fuzzing at every exchange state, with live cookies and SPIs', () => {
  it(`${TRIALS} sessions, each fuzzed at one state: nothing escapes, tables bounded and back to baseline, the bystander unharmed`, () => {
    const random = seededRandom(SEED);
    const responder = fuzzResponder();
    const clock: Clock = { now: Date.UTC(2026, 0, 1) };
    const bystander = connectBystander(responder, clock);
    const baseline = responder.tableSizes();
    expect(baseline).toEqual({ keepalives: 1, isakmpSas: 1, halfOpen: 0, ipsecSaPairs: 1, leases: 1, saNumbers: 3 });
    const bystanderCookies = { initiatorCookie: bystander.flow.sa.initiatorCookie, responderCookie: bystander.flow.sa.responderCookie };
    const figures: Figures = { trials: 0, injections: 0, unauthenticated: 0, byState: new Map(), byMutation: new Map(), outcomes: new Map(), maxLines: 0, maxNonDebugLines: 0 };
    const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    let dpdSequence = 0;

    /** The properties that hold after any datagram. */
    const checkAfter = (where: string, effects: readonly ResponderEffect[]) => {
      const lines = logLines(effects);
      expect(lines.all.filter((line) => line.includes('internal error')), where).toEqual([]);
      expect(lines.all.length, `${where}: log lines`).toBeLessThanOrEqual(MAX_LINES_PER_DATAGRAM);
      expect(lines.nonDebug.length, `${where}: non-debug log lines ${lines.nonDebug.join(' | ')}`).toBeLessThanOrEqual(MAX_NON_DEBUG_LINES_PER_DATAGRAM);
      figures.maxLines = Math.max(figures.maxLines, lines.all.length);
      figures.maxNonDebugLines = Math.max(figures.maxNonDebugLines, lines.nonDebug.length);
      const sizes = responder.tableSizes();
      expect(sizes.halfOpen, where).toBeLessThanOrEqual(LIMITS.maxHalfOpenSas);
      expect(sizes.isakmpSas, where).toBeLessThanOrEqual(LIMITS.maxIsakmpSas);
      expect(sizes.ipsecSaPairs, where).toBeLessThanOrEqual(LIMITS.maxIpsecSaPairs);
      // No half state: every SA number in use belongs to a live SA, and every leased address is
      // held by one (an ISAKMP SA that pushed it or an IPsec SA made under it).
      const isakmpNumbers = responder.isakmpSas().flatMap((sa) => (sa.number === undefined ? [] : [sa.number]));
      const pairNumbers = responder.ipsecSaPairs().flatMap((pair) => [pair.inboundNumber, pair.outboundNumber]);
      const live = new Set([...isakmpNumbers, ...pairNumbers]);
      expect(sizes.saNumbers, `${where}: SA numbers`).toBe(live.size);
      for (const lease of responder.addressLeases()) {
        expect(lease.holders.length, `${where}: lease ${lease.address} without a holder`).toBeGreaterThan(0);
        for (const holder of lease.holders) expect(live.has(holder), `${where}: lease ${lease.address} held by gone SA ${holder}`).toBe(true);
      }
      // The bystander: its SAs untouched, its DPD answered.
      expect(responder.isakmpSas().some((sa) => sa.initiatorCookie.equals(bystanderCookies.initiatorCookie) && sa.state === 'established'), `${where}: bystander ISAKMP SA`).toBe(true);
      expect(responder.ipsecSaPairs().some((pair) => pair.outbound.spi.equals(bystander.espSas.inbound.spi)), `${where}: bystander IPsec SA`).toBe(true);
      expectDpdAnswered(bystander.flow, clock, ++dpdSequence, where);
    };

    const started = Date.now();
    for (let trial = 1; trial <= TRIALS; trial++) {
      const where = (detail: string) => `seed ${SEED} trial ${trial}: ${detail}`;
      const victim = new VictimSession(responder, clock, VICTIM, `trial-${trial}`);
      const target = EXCHANGE_STATES[random.int(EXCHANGE_STATES.length)]!;
      count(figures.byState, target);
      const sentToVictim = new Set<string>();
      const note = (effects: ResponderEffect[]) => {
        for (const bytes of victim.sendsTo(effects)) sentToVictim.add(bytes.toString('hex'));
        return effects;
      };
      note(victim.begin());
      while (victim.state !== target) note(victim.step());

      let moved = false;
      const injections = 1 + random.int(3);
      for (let injection = 0; injection < injections; injection++) {
        const { datagram, label, unauthenticated } = injectionFor(victim, random, { bystanderSpi: bystander.espSas.inbound.spi, bystanderOutboundSpi: bystander.espSas.outbound.spi, bystanderCookies });
        count(figures.byMutation, label);
        figures.injections++;
        clock.now += 5;
        const effects = responder.receive(inbound(datagram, VICTIM), clock.now);
        checkAfter(where(`${target}, ${label}, ${datagram.toString('hex')}`), effects);
        if (unauthenticated) {
          expectOnlyDropped(effects, where(`${target}, ${label}, ${datagram.toString('hex')}`));
          figures.unauthenticated++;
        }
        moved ||= movedTheSession(effects, victim, sentToVictim);
        note(effects);
      }

      const victimSa = () => {
        const cookies = victim.cookies;
        return cookies && responder.isakmpSas().find((sa) => sa.initiatorCookie.equals(cookies.initiatorCookie) && sa.responderCookie.equals(cookies.responderCookie));
      };
      let outcome: Outcome;
      if (!victimSa()) outcome = 'ended';
      else if (moved) outcome = 'accepted as a step';
      else {
        // Nothing the mutants did moved the session: the genuine client carries on to the end.
        outcome = 'continued';
        try {
          while (victim.state !== 'Informational (DPD, Delete)') checkAfter(where(`continuing from ${victim.state}`), note(victim.step()));
          checkAfter(where('closing'), victim.close());
        } catch (error) {
          if (error instanceof SessionStepFailed) throw new Error(where(`the session did not continue after the injections: ${error.message}`));
          throw error;
        }
        expect(victimSa(), where('the victim SA is gone after its Delete')).toBeUndefined();
      }
      count(figures.outcomes, outcome);

      // End whatever the victim left (the peer's Deletes, else the operator's `ipsec sa delete`),
      // then let every timer run out.
      if (outcome !== 'continued') {
        if (victim.isakmpSa && victimSa()?.state === 'established') checkAfter(where('closing'), victim.close());
        const victims = (peer: { address: string; port: number }) => peer.address === VICTIM.address && peer.port === VICTIM.port;
        for (const pair of responder.ipsecSaPairs().filter((candidate) => victims(candidate.peer))) responder.deleteSas(pair.inboundNumber, clock.now);
        for (const sa of responder.isakmpSas().filter((candidate) => victims(candidate.peer) && candidate.number !== undefined)) responder.deleteSas(sa.number!, clock.now);
      }
      runClockTo(responder, clock, clock.now + CLEANUP_MS, where('cleanup'));
      expect(responder.tableSizes(), where(`tables after the session (${outcome})`)).toEqual(baseline);
      // Now and then the bystander rekeys (a new Quick Mode, then a Delete of its old pair): still served.
      if (trial % 20 === 0) {
        bystander.espSas = bystanderRekey(bystander.flow, bystander.espSas, 0x5b000000 + trial, clock, where('bystander rekey'));
        expect(responder.tableSizes(), where('tables after the bystander rekeyed')).toEqual(baseline);
      }
      figures.trials++;
    }
    const elapsedMs = Date.now() - started;

    // The fuzzer reached what it was meant to: every state, every mutation, every outcome.
    if (TRIALS >= DEFAULT_TRIALS) {
      expect([...figures.byState.keys()].sort()).toEqual([...EXCHANGE_STATES].sort());
      for (const mutation of MUTATIONS) expect(figures.byMutation.get(mutation.name) ?? 0, mutation.name).toBeGreaterThan(0);
      expect(figures.byMutation.get('replayed older datagram') ?? 0).toBeGreaterThan(0);
      expect(figures.byMutation.get('Delete/notify naming the bystander') ?? 0).toBeGreaterThan(0);
      for (const outcome of ['continued', 'accepted as a step', 'ended'] as const) expect(figures.outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
    }
    console.info(
      `exchange-state fuzzer: ${figures.trials} trials, ${figures.injections} injections (${figures.unauthenticated} unauthenticated) in ${elapsedMs} ms; ` +
        `states ${JSON.stringify(Object.fromEntries(figures.byState))}; outcomes ${JSON.stringify(Object.fromEntries(figures.outcomes))}; ` +
        `max lines per datagram ${figures.maxLines} (non-debug ${figures.maxNonDebugLines}); mutations ${JSON.stringify(Object.fromEntries(figures.byMutation))}`,
    );
  }, Math.max(120_000, TRIALS * 500));
});

/** One datagram to inject at the victim's state: a mutant of one of its messages, a replay, or a Delete/notify naming the bystander. */
function injectionFor(
  victim: VictimSession,
  random: SeededRandom,
  bystander: { bystanderSpi: Buffer; bystanderOutboundSpi: Buffer; bystanderCookies: { initiatorCookie: Buffer; responderCookie: Buffer } },
): Injection {
  const roll = random.int(20);
  if (roll < 3) return { datagram: random.pick(victim.sent), label: 'replayed older datagram', unauthenticated: false };
  if (roll < 6 && victim.isakmpSa) {
    const { bystanderSpi, bystanderOutboundSpi, bystanderCookies } = bystander;
    const items = random.pick([
      [{ kind: 'delete' as const, protocolId: ProtocolId.IPSEC_ESP, spis: [bystanderSpi] }],
      [{ kind: 'delete' as const, protocolId: ProtocolId.IPSEC_ESP, spis: [bystanderOutboundSpi, bystanderSpi] }],
      [{ kind: 'delete' as const, protocolId: ProtocolId.ISAKMP, spis: [Buffer.concat([bystanderCookies.initiatorCookie, bystanderCookies.responderCookie])] }],
      [{ kind: 'notify' as const, notifyType: NotifyType.R_U_THERE, spi: Buffer.concat([bystanderCookies.initiatorCookie, bystanderCookies.responderCookie]), data: Buffer.alloc(4, 1) }],
      [{ kind: 'notify' as const, notifyType: NotifyType.INVALID_SPI, protocolId: ProtocolId.IPSEC_ESP, spi: bystanderSpi }],
      [{ kind: 'delete' as const, protocolId: ProtocolId.IPSEC_ESP, spis: [random.bytes(16), random.bytes(16)] }],
    ]);
    return { datagram: victim.sealInformational(items), label: 'Delete/notify naming the bystander', unauthenticated: false };
  }
  const template = random.pick(victim.templates());
  const draft = draftOf(template);
  const applied: string[] = [];
  const wanted = 1 + random.int(3);
  for (let attempt = 0; applied.length < wanted && attempt < 10; attempt++) {
    const mutation = random.pick(MUTATIONS);
    if (mutation.apply(draft, random, { otherMessageIds: victim.messageIds })) applied.push(mutation.name);
  }
  // A mutant's HASH is recomputed (so it authenticates) unless a mutation made it wrong on purpose.
  if (draft.rehash) draft.rehash = random.chance(0.7);
  const phase2 = [ExchangeType.INFORMATIONAL, ExchangeType.TRANSACTION, ExchangeType.QUICK_MODE].includes(template.header.exchangeType as 5) && template.protection !== undefined;
  return { datagram: encodeDraft(template, draft), label: applied[0] ?? 'unchanged', unauthenticated: phase2 && applied.some((name) => UNAUTHENTICATED_BY_CONSTRUCTION.has(name)) };
}

interface Injection {
  readonly datagram: Buffer;
  readonly label: string;
  /**
   * Known not to authenticate under the established ISAKMP SA (a wrong HASH, garbage behind the
   * IV, sent in clear): anyone who saw the cookies could send it.
   */
  readonly unauthenticated: boolean;
}

/** The limiter's own count of the lines it held back (drop-log-limiter.ts). */
const DROP_SUMMARY = /^\[IKE\] \d+ more lines about dropped messages from /;

const UNAUTHENTICATED_BY_CONSTRUCTION = new Set(['wrong HASH', 'garbage plaintext behind a valid IV', 'sent in clear']);

/**
 * What a datagram that does not authenticate may cause: nothing but lines about dropping it,
 * which the per-peer limit bounds (drop-log-limiter.ts), debug lines, and message events.
 */
function expectOnlyDropped(effects: readonly ResponderEffect[], where: string): void {
  const other = effects.filter(
    (effect) =>
      !(effect.kind === 'log' && (effect.level === 'debug' || isDropLine(effect) || DROP_SUMMARY.test(effect.message))) && !(effect.kind === 'event' && effect.event.type === 'ike-message'),
  );
  expect(other.map((effect) => (effect.kind === 'log' ? effect.message : effect.kind)), `${where}: effects of an unauthenticated datagram`).toEqual([]);
}

/** Whether the responder took an injected datagram as a step of the victim's session. */
function movedTheSession(effects: readonly ResponderEffect[], victim: VictimSession, sentBefore: ReadonlySet<string>): boolean {
  const cookies = victim.cookies;
  const ownCookies = (bytes: Buffer) => cookies !== undefined && bytes.subarray(0, 8).equals(cookies.initiatorCookie) && bytes.subarray(8, 16).equals(cookies.responderCookie);
  const newMessage = victim
    .sendsTo(effects)
    .some((bytes) => ownCookies(bytes) && bytes.readUInt8(18) !== ExchangeType.INFORMATIONAL && !sentBefore.has(bytes.toString('hex')));
  const changedSas = effects.some(
    (effect) =>
      effect.kind === 'ipsec-sa-installed' ||
      effect.kind === 'ipsec-sa-removed' ||
      (effect.kind === 'event' && ['xauth', 'lease', 'lease-released', 'isakmp-sa-up', 'isakmp-sa-down'].includes(effect.event.type)),
  );
  return newMessage || changedSas;
}

function expectDpdAnswered(flow: ClientFlow, clock: Clock, sequence: number, where: string): void {
  flow.now = clock.now;
  const effects = flow.informational([{ kind: 'r-u-there', sequence }]);
  clock.now = flow.now;
  const answers = effects.flatMap((effect) =>
    effect.kind === 'send' && effect.to.address === BYSTANDER.address && effect.to.port === BYSTANDER.port ? [parseInformational(flow.sa, effect.bytes)] : [],
  );
  const acknowledged = answers.some((answer) => answer.ok && answer.value.items.some((item) => item.kind === 'r-u-there-ack' && item.sequence === sequence));
  expect(acknowledged, `${where}: the bystander's R-U-THERE ${sequence} is answered`).toBe(true);
}

function bystanderRekey(flow: ClientFlow, old: EspSaPair, messageId: number, clock: Clock, where: string): EspSaPair {
  flow.now = clock.now;
  const quickMode = flow.quickMode(QUICK_MODE_OPTIONS, messageId);
  expect(quickMode.effects.some((effect) => effect.kind === 'ipsec-sa-installed'), where).toBe(true);
  flow.informational([{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [old.inbound.spi] }]);
  clock.now = flow.now;
  return quickMode.espSas;
}

/** Ticks the responder at each of its deadlines up to `until` (bounded), as the router's timer would. */
function runClockTo(responder: RtxIkeResponder, clock: Clock, until: number, where: string): void {
  for (let ticks = 0; ticks < 1_000; ticks++) {
    const deadline = responder.nextDeadline();
    if (deadline === undefined || deadline > until) break;
    clock.now = Math.max(clock.now, deadline);
    const effects = responder.tick(clock.now);
    expect(logLines(effects).all.filter((line) => line.includes('internal error')), where).toEqual([]);
  }
  clock.now = until;
}
