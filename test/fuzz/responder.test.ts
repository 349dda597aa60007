/**
 * 100,000 random and mutated datagrams through RtxIkeResponder.receive (plus ticks): nothing
 * throws, no internal error is logged, and the SA tables never grow past their limits. The
 * corpus reaches every machine: Aggressive Mode, Informational, and, on SAs that went through
 * XAUTH and the mode-cfg push, Transaction (REQUEST, REPLY, ACK) and Quick Mode messages. The
 * inputs come from a seeded generator, so a failure replays exactly (the seed and index are printed).
 */
import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../../src/ike/constants.js';
import { encodeMessage } from '../../src/ike/codec/index.js';
import { STRONGSWAN_PULL_MODE_CFG, buildAggressive3, buildInformational, modeCfgRequest, processAggressive2, sealTransaction, SEED_PROPOSAL } from '../../src/initiator/index.js';
import { ZERO_PADDING } from '../../src/ike/crypto/index.js';
import type { InboundDatagram } from '../../src/ike-responder/port.js';
import { RtxIkeResponder } from '../../src/ike-responder/responder.js';
import {
  CLIENT,
  CLIENT_NATT,
  ROUTER,
  SEED_POOLS,
  T0,
  clientMessage1,
  connectSeedClient,
  inbound,
  logLines,
  onlySend,
  policyOf,
  seedGateway,
  seedXauthUsers,
  seededRandomBytes,
} from '../ike-responder/support.js';

const ITERATIONS = 100_000;
const SEED = 0x5eed1500;
const LIMITS = { halfOpenTimeoutMs: 30_000, maxHalfOpenSas: 40, maxIsakmpSas: 120, maxIpsecSaPairs: 50 };

/** xorshift32: small, fast, seedable. */
function prng(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return {
    int: (below: number) => next() % below,
    bytes: (length: number) => {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = next() & 0xff;
      return out;
    },
    chance: (p: number) => next() / 0x100000000 < p,
  };
}

type Random = ReturnType<typeof prng>;

function mutate(random: Random, original: Buffer): Buffer {
  const bytes = Buffer.from(original);
  switch (random.int(7)) {
    case 0: // flip a few bits
      for (let i = random.int(4) + 1; i > 0 && bytes.length > 0; i--) bytes[random.int(bytes.length)]! ^= 1 << random.int(8);
      return bytes;
    case 1: // overwrite a byte in the header or the first payload headers (lengths, next-payload fields)
      if (bytes.length > 0) bytes[random.int(Math.min(bytes.length, 40))] = random.int(256);
      return bytes;
    case 2: // truncate, keeping the header's length field consistent half of the time
      {
        const cut = bytes.subarray(0, random.int(bytes.length + 1));
        if (cut.length >= 28 && random.chance(0.5)) cut.writeUInt32BE(cut.length, 24);
        return Buffer.from(cut);
      }
    case 3: // append junk, fixing the length half of the time
      {
        const longer = Buffer.concat([bytes, random.bytes(random.int(64) + 1)]);
        if (longer.length >= 28 && random.chance(0.5)) longer.writeUInt32BE(longer.length, 24);
        return longer;
      }
    case 4: // a payload length field set to something else
      if (bytes.length > 32) bytes.writeUInt16BE(random.int(0x10000), 28 + 2);
      return bytes;
    case 5: // a different exchange type or flags
      if (bytes.length >= 28) {
        bytes[18] = [1, 2, 4, 5, 6, 32, random.int(256)][random.int(7)]!;
        bytes[19] = random.int(8);
      }
      return bytes;
    default: // splice random bytes into the body
      if (bytes.length > 28) random.bytes(random.int(16) + 1).copy(bytes, 28 + random.int(bytes.length - 28));
      return bytes;
  }
}

describe('fuzzing the responder', () => {
  it(`survives ${ITERATIONS.toLocaleString('en')} random and mutated datagrams with bounded state`, () => {
    const random = prng(SEED);
    const gateway = seedGateway({
      payloadType: 3,
      natTraversal: { enabled: true, keepaliveSeconds: 300, force: false },
      keepalive: { use: 'on', method: 'dpd', intervalSeconds: 10, count: 3, log: true },
      log: { messageInfo: true, payloadInfo: true, keyInfo: true },
    });
    const responder = new RtxIkeResponder(
      { ...policyOf([{ ...gateway, saPolicy: { policyId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' } }], true), xauthUsers: seedXauthUsers(), addressPools: SEED_POOLS },
      { randomBytes: seededRandomBytes('fuzz'), limits: LIMITS },
    );
    let now = T0;

    // A corpus of well-formed messages: message 1s, messages 3 (clear and encrypted), protected Informationals.
    const message1s = [
      clientMessage1().bytes,
      clientMessage1({ vendorIds: ['NAT_T_RFC3947', 'DPD', 'XAUTH'], natTraversal: 'on' }).bytes,
      clientMessage1({ identity: { kind: 'key-id', keyId: Buffer.from('myid') }, proposals: [{ ...SEED_PROPOSAL, encryption: 'aes128-cbc', hash: 'md5' }] }).bytes,
    ];
    const established = [false, true].map((encrypt) => {
      const { bytes, state } = clientMessage1();
      const message2 = onlySend(responder.receive(inbound(bytes), now));
      const processed = processAggressive2(state, message2.bytes, { local: CLIENT, remote: ROUTER });
      if (!processed.ok) throw new Error(processed.failure.text);
      const message3 = buildAggressive3(processed.state, { encrypt, initialContact: !encrypt });
      responder.receive(inbound(message3.bytes), now);
      return { message3: message3.bytes, sa: message3.state };
    });
    // Two clients through XAUTH and the push, one through Quick Mode too: their messages join the corpus.
    const remoteAccess = [0, 1].map((index) => {
      const flow = connectSeedClient(responder, { now, leg: { from: { address: `192.0.2.${140 + index}`, port: 500 }, natTraversal: false }, seed: `fuzz-${index}` }).flow;
      const messages: Buffer[] = [];
      const quickMode = flow.quickMode1({}, 0x51000000 + index);
      messages.push(quickMode.bytes, sealTransaction(flow.sa, 0x52000000 + index, modeCfgRequest(STRONGSWAN_PULL_MODE_CFG.pull!), ZERO_PADDING).bytes);
      if (index === 0) {
        flow.quickMode3(quickMode.state, quickMode.effects);
        messages.push(buildInformational(flow.sa, [{ kind: 'r-u-there', sequence: 1 }], 0x53000000).bytes);
      }
      return messages;
    });
    const corpus = [
      ...remoteAccess.flat(),
      ...message1s,
      ...established.map((e) => e.message3),
      ...established.map((e) => buildInformational(e.sa, [{ kind: 'r-u-there', sequence: 5 }], 0x10203040).bytes),
      buildInformational(established[1]!.sa, [{ kind: 'initial-contact' }, { kind: 'r-u-there', sequence: 6 }], 0x50607080).bytes,
      encodeMessage({ initiatorCookie: Buffer.alloc(8, 9), responderCookie: Buffer.alloc(8), exchangeType: ExchangeType.AGGRESSIVE, flags: 0, messageId: 0 }, []),
    ];

    const sources = [CLIENT, CLIENT_NATT, { address: '192.0.2.133', port: 500 }, { address: '2001:db8::7', port: 500 }];
    let internalErrors: string[] = [];
    let maxSeen = { isakmpSas: 0, halfOpen: 0, ipsecSaPairs: 0 };
    for (let index = 0; index < ITERATIONS; index++) {
      const kind = random.int(10);
      let bytes: Buffer;
      if (kind < 2) bytes = random.bytes(random.int(400));
      else if (kind < 3) {
        // A plausible ISAKMP header in front of noise.
        bytes = Buffer.concat([random.bytes(16), Buffer.of(random.int(256), 0x10, [4, 5, 6, 32][random.int(4)]!, random.int(4)), random.bytes(4), Buffer.alloc(4), random.bytes(random.int(300))]);
        bytes.writeUInt32BE(bytes.length, 24);
      } else bytes = mutate(random, corpus[random.int(corpus.length)]!);
      const from = sources[random.int(sources.length)]!;
      const datagram: InboundDatagram = { bytes, from, local: from.port === 4500 ? { ...ROUTER, port: 4500 } : ROUTER, natTraversal: from.port === 4500 };
      let effects;
      try {
        effects = responder.receive(datagram, now);
      } catch (error) {
        throw new Error(`receive threw at index ${index} (seed ${SEED}, input ${bytes.toString('hex')}): ${String(error)}`);
      }
      internalErrors = internalErrors.concat(logLines(effects).filter((line) => line.includes('internal error')).map((line) => `${index}: ${line}`));
      if (index % 500 === 0) {
        now += 1_000;
        const deadline = responder.nextDeadline();
        if (deadline !== undefined && deadline <= now) responder.tick(now);
      }
      const sizes = responder.tableSizes();
      maxSeen = {
        isakmpSas: Math.max(maxSeen.isakmpSas, sizes.isakmpSas),
        halfOpen: Math.max(maxSeen.halfOpen, sizes.halfOpen),
        ipsecSaPairs: Math.max(maxSeen.ipsecSaPairs, sizes.ipsecSaPairs),
      };
      expect(sizes.halfOpen).toBeLessThanOrEqual(LIMITS.maxHalfOpenSas);
      expect(sizes.isakmpSas).toBeLessThanOrEqual(LIMITS.maxIsakmpSas);
      expect(sizes.ipsecSaPairs).toBeLessThanOrEqual(LIMITS.maxIpsecSaPairs);
    }

    expect(internalErrors).toEqual([]);
    // The Quick Mode before the fuzzing made a pair; it was still there or expired, never more than the cap.
    expect(maxSeen.ipsecSaPairs).toBeGreaterThanOrEqual(1);
    // The fuzzer did reach the interesting parts: the half-open cap was hit.
    expect(maxSeen.halfOpen).toBe(LIMITS.maxHalfOpenSas);
    // Once every deadline has passed, nothing is left: no state outlives its time-out or lifetime.
    responder.tick(now + 30 * 24 * 3600 * 1000);
    expect(responder.tableSizes()).toEqual({ isakmpSas: 0, halfOpen: 0, ipsecSaPairs: 0, leases: 0, saNumbers: 0, keepalives: 0 });
    expect(responder.nextDeadline()).toBeUndefined();
  }, 180_000);
});
