import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ExchangeType, IsakmpFlag, NotifyType } from '../../src/ike/constants.js';
import { decodeHeader } from '../../src/ike/codec/index.js';
import {
  buildQuickMode1,
  buildQuickMode3,
  parseInformational,
  processQuickMode2,
  resolveQuickModeRequest,
  type QuickModeOptions,
} from '../../src/initiator/index.js';
import type { EspRules } from '../../src/ike-responder/esp-proposal.js';
import { quickModeMachine, type QuickModeEvent, type QuickModeState } from '../../src/ike-responder/quick-mode-machine.js';
import { CLIENT, NO_DEBUG, ROUTER, T0, decoded, establishedPair, logLines, onlySend, seededRandomBytes, sends, startCollecting } from './support.js';

const RULES: EspRules = {
  saPolicy: { policyId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' },
  negotiateStrictly: false,
  natTraversal: false,
  phase2Group: 2,
  defaultLifeSeconds: 28_800,
  cipherAvailable: () => true,
};
const MESSAGE_ID = 0x6bad6a5c;
const CLIENT_SPI = Buffer.from('c1c2c3c4', 'hex');
const TIMEOUT_MS = 30_000;
/** The `ipsec ike retry` default: 10 resends 5 s apart. */
const RESENDS = { intervalMs: 5_000, retransmissions: 10 };

const BASE_OPTIONS: QuickModeOptions = {
  proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
  localId: { kind: 'ipv4-address', address: '10.1.1.110' },
  remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
  lifeSeconds: 1200,
  encapsulation: 'tunnel',
};

function startQuickMode(options: { rules?: Partial<EspRules>; sendInfo?: boolean; quickMode?: Partial<QuickModeOptions>; spiInUse?: (spi: Buffer) => boolean; schedule?: { intervalMs: number; retransmissions: number }; syslogDebug?: boolean } = {}) {
  const pair = establishedPair();
  const { actor, take } = startCollecting(
    createActor(quickModeMachine, {
      input: {
        keys: pair.established,
        ivChains: pair.ivChains,
        messageId: MESSAGE_ID,
        rules: { ...RULES, ...options.rules },
        debug: { ...NO_DEBUG, syslogDebug: options.syslogDebug ?? false },
        sendInfo: options.sendInfo ?? true,
        randomBytes: seededRandomBytes('quick-mode-machine'),
        spiInUse: options.spiInUse ?? (() => false),
        now: T0,
        timeoutMs: TIMEOUT_MS,
        schedule: options.schedule ?? RESENDS,
      },
    }),
  );
  const resolved = resolveQuickModeRequest({ ...BASE_OPTIONS, ...options.quickMode }, pair.initiatorSa);
  if (!resolved.ok) throw new Error(resolved.text);
  const message1 = buildQuickMode1(pair.initiatorSa, resolved.request, {
    messageId: MESSAGE_ID,
    spi: CLIENT_SPI,
    nonce: seededRandomBytes('qm-client')(resolved.request.nonceLength),
    ...(resolved.request.pfsGroup === undefined ? {} : { dhPrivateKey: seededRandomBytes('qm-dh')(32) }),
  });
  const state = () => actor.getSnapshot().value as QuickModeState;
  const send = (event: QuickModeEvent) => {
    actor.send(event);
    return take();
  };
  const deliver = (bytes: Buffer, now = T0 + 10) => send({ type: 'QUICK_MODE', message: decoded(bytes), datagram: bytes, from: CLIENT, local: ROUTER, natTraversal: false, now });
  return { actor, state, send, deliver, message1, pair };
}

describe('the Quick Mode responder machine', () => {
  it('answers message 1 with HASH(2), SA, Nr, IDci, IDcr; HASH(3) completes it with keys both sides share', () => {
    const { deliver, state, message1, actor } = startQuickMode();
    const message2 = deliver(message1.bytes);
    expect(logLines(message2)).toEqual(['[IKE] respond IPsec phase to 192.0.2.132']);
    expect(state()).toBe('awaitingHash3');
    const header = decodeHeader(onlySend(message2).bytes);
    expect(header.ok && header.value).toMatchObject({ exchangeType: ExchangeType.QUICK_MODE, messageId: MESSAGE_ID, flags: IsakmpFlag.ENCRYPTION });
    // The initiator checks HASH(2), our SA (one transform, as offered) and that the IDs came back unchanged.
    const processed = processQuickMode2(message1.state, onlySend(message2).bytes);
    if (!processed.ok) throw new Error(processed.failure.text);
    expect(processed.state.chosen).toMatchObject({ lifeSeconds: 1200, offered: { spec: { encryption: '3des-cbc', integrity: 'hmac-sha1-96' } } });
    const message3 = buildQuickMode3(processed.state);
    expect(deliver(message3.bytes, T0 + 20)).toEqual([]);
    expect(state()).toBe('established');
    const outcome = actor.getSnapshot().context.outcome!;
    expect(outcome.answer.keys.initiatorToResponder).toEqual(message3.espSas.outbound);
    expect(outcome.answer.keys.responderToInitiator).toEqual(message3.espSas.inbound);
    expect(outcome.answer.keys.responderToInitiator.spi).toEqual(CLIENT_SPI);
    expect(outcome).toMatchObject({ establishedAt: T0 + 20, commitBit: false, chosen: { lifeSeconds: 1200, udpEncapsulated: false } });
    expect(outcome.answer.initiatorIdentity).toEqual({ kind: 'ipv4-address', address: '10.1.1.110' });
  });

  it('does PFS when the initiator asks for it (KE in both directions, the shared secret in KEYMAT)', () => {
    const { deliver, state, message1, actor } = startQuickMode({ quickMode: { pfsGroup: 2 } });
    const message2 = deliver(message1.bytes);
    const processed = processQuickMode2(message1.state, onlySend(message2).bytes);
    if (!processed.ok) throw new Error(processed.failure.text);
    expect(processed.state.pfsSharedSecret).toHaveLength(128);
    const message3 = buildQuickMode3(processed.state);
    deliver(message3.bytes);
    expect(state()).toBe('established');
    expect(actor.getSnapshot().context.outcome!.answer.keys.initiatorToResponder).toEqual(message3.espSas.outbound);
    expect(actor.getSnapshot().context.outcome!.chosen.pfsGroup).toBe(2);
  });

  it('without IDs, answers without IDs', () => {
    const { deliver, message1 } = startQuickMode({ quickMode: { localId: undefined, remoteId: undefined } as Partial<QuickModeOptions> });
    const processed = processQuickMode2(message1.state, onlySend(deliver(message1.bytes)).bytes);
    expect(processed.ok).toBe(true);
  });

  describe('with ipsec ike local id / remote id set (the IDs checked; assumed, docs/fidelity.md)', () => {
    // From the router's side: IDci is the peer's network (remote id), IDcr its own (local id).
    const IDS = { remote: { kind: 'ipv4-address', address: '10.1.1.110' }, local: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' } } as const;

    it('takes a Quick Mode whose IDci and IDcr are the configured remote and local IDs', () => {
      const { deliver, message1, state } = startQuickMode({ rules: { phase2Ids: IDS } });
      const processed = processQuickMode2(message1.state, onlySend(deliver(message1.bytes)).bytes);
      if (!processed.ok) throw new Error(processed.failure.text);
      deliver(buildQuickMode3(processed.state).bytes);
      expect(state()).toBe('established');
    });

    it('refuses other IDs, or none, with INVALID-ID-INFORMATION', () => {
      const other = startQuickMode({ rules: { phase2Ids: IDS }, quickMode: { remoteId: { kind: 'ipv4-subnet', address: '10.9.9.0', netmask: '255.255.255.0' } } });
      const effects = other.deliver(other.message1.bytes);
      expect(logLines(effects)).toEqual([
        '[IKE] IPsec phase with 192.0.2.132 refused: invalid ID information: IDcr 10.9.9.0/255.255.255.0 is not ipsec ike local id 10.1.1.0/255.255.255.0',
      ]);
      expect(other.state()).toBe('refused');
      expect(parseInformational(other.pair.initiatorSa, onlySend(effects).bytes)).toMatchObject({ ok: true, value: { items: [{ kind: 'notify', notifyType: NotifyType.INVALID_ID_INFORMATION }] } });
      const none = startQuickMode({ rules: { phase2Ids: IDS }, quickMode: { localId: undefined, remoteId: undefined } as Partial<QuickModeOptions> });
      expect(logLines(none.deliver(none.message1.bytes))).toEqual([expect.stringContaining('refused: invalid ID information: no IDci/IDcr')]);
    });

    it('checks only the side that is set', () => {
      const { deliver, message1, state } = startQuickMode({ rules: { phase2Ids: { remote: IDS.remote } }, quickMode: { remoteId: { kind: 'ipv4-address', address: '10.7.7.7' } } });
      const processed = processQuickMode2(message1.state, onlySend(deliver(message1.bytes)).bytes);
      expect(processed.ok).toBe(true);
      expect(state()).toBe('awaitingHash3');
    });
  });

  it('UDP-encapsulated tunnel when NAT-T was negotiated', () => {
    const { deliver, message1, state } = startQuickMode({ rules: { natTraversal: true }, quickMode: { encapsulation: 'udp-tunnel' } });
    const processed = processQuickMode2(message1.state, onlySend(deliver(message1.bytes)).bytes);
    if (!processed.ok) throw new Error(processed.failure.text);
    deliver(buildQuickMode3(processed.state).bytes);
    expect(state()).toBe('established');
  });

  it('refuses what it cannot take, with a protected NO-PROPOSAL-CHOSEN when `send info` is on', () => {
    const { deliver, message1, state, pair } = startQuickMode({ quickMode: { proposals: [{ encryption: 'aes256-cbc', integrity: 'hmac-sha1-96' }] } });
    const effects = deliver(message1.bytes);
    expect(logLines(effects)).toEqual([expect.stringMatching(/^\[IKE\] IPsec phase with 192\.0\.2\.132 refused: no proposal chosen: /)]);
    expect(state()).toBe('refused');
    const notify = parseInformational(pair.initiatorSa, onlySend(effects).bytes);
    expect(notify).toMatchObject({ ok: true, value: { items: [{ kind: 'notify', notifyType: NotifyType.NO_PROPOSAL_CHOSEN }] } });
    const quiet = startQuickMode({ sendInfo: false, quickMode: { proposals: [{ encryption: 'aes256-cbc', integrity: 'hmac-sha1-96' }] } });
    expect(sends(quiet.deliver(quiet.message1.bytes))).toEqual([]);
  });

  it('refuses UDP encapsulation without NAT-T', () => {
    const { deliver, message1, state } = startQuickMode({ quickMode: { encapsulation: 'udp-tunnel' } });
    expect(logLines(deliver(message1.bytes))).toEqual([expect.stringContaining('encapsulation mode 3 is not tunnel')]);
    expect(state()).toBe('refused');
  });

  it('drops an unauthenticated message 1 without an answer', () => {
    const { deliver, message1, state } = startQuickMode({ syslogDebug: true });
    const forged = Buffer.from(message1.bytes);
    // The first cipher block (a trailing one may be padding only, which nobody checks).
    forged[28 + 10]! ^= 0x01;
    const effects = deliver(forged);
    expect(sends(effects)).toEqual([]);
    expect(state()).toBe('refused');
    // Logged under its own exchange (the IPsec phase), not as a transaction.
    expect(logLines(effects, 'debug').filter((line) => !line.includes('receive message'))).toEqual([expect.stringMatching(/^\[IKE\] IPsec phase message from 192\.0\.2\.132 ignored: message 1: /)]);
  });

  it('answers a repeated message 1 with the same message 2, and ignores a wrong HASH(3)', () => {
    const { deliver, message1, state } = startQuickMode({ syslogDebug: true });
    const first = onlySend(deliver(message1.bytes));
    expect(onlySend(deliver(message1.bytes, T0 + 1_000)).bytes).toEqual(first.bytes);
    const processed = processQuickMode2(message1.state, first.bytes);
    if (!processed.ok) throw new Error(processed.failure.text);
    const message3 = Buffer.from(buildQuickMode3(processed.state).bytes);
    message3[28 + 10]! ^= 0x01;
    const effects = deliver(message3);
    expect(sends(effects)).toEqual([]);
    expect(logLines(effects, 'debug').filter((line) => !line.includes('receive message'))).toEqual([expect.stringMatching(/^\[IKE\] IPsec phase message from 192\.0\.2\.132 ignored: message 3: /)]);
    expect(state()).toBe('awaitingHash3');
  });

  it('without HASH(3), message 2 goes again (stored bytes, back where message 1 came from) each resend interval, at most the scheduled times', () => {
    const { deliver, send, message1, state } = startQuickMode({ schedule: { intervalMs: 5_000, retransmissions: 2 } });
    const message2 = onlySend(deliver(message1.bytes, T0));
    expect(send({ type: 'TICK', now: T0 + 4_999 })).toEqual([]);
    const first = sends(send({ type: 'TICK', now: T0 + 5_000 }));
    const second = sends(send({ type: 'TICK', now: T0 + 10_000 }));
    const third = sends(send({ type: 'TICK', now: T0 + 15_000 }));
    expect([first, second, third].map((effects) => effects.map((effect) => [effect.bytes, effect.to]))).toEqual([[[message2.bytes, CLIENT]], [[message2.bytes, CLIENT]], []]);
    expect(state()).toBe('awaitingHash3');
  });

  it('HASH(3) after a resent message 2 completes it, and nothing goes again afterwards', () => {
    const { deliver, send, message1, state } = startQuickMode();
    const message2 = onlySend(deliver(message1.bytes, T0));
    expect(onlySend(send({ type: 'TICK', now: T0 + 5_000 })).bytes).toEqual(message2.bytes);
    const processed = processQuickMode2(message1.state, message2.bytes);
    if (!processed.ok) throw new Error(processed.failure.text);
    deliver(buildQuickMode3(processed.state).bytes, T0 + 5_100);
    expect(state()).toBe('established');
  });

  it('gives up waiting for HASH(3) after the time-out', () => {
    const { deliver, send, message1, state } = startQuickMode({ schedule: { intervalMs: 5_000, retransmissions: 0 } });
    deliver(message1.bytes);
    expect(send({ type: 'TICK', now: T0 + TIMEOUT_MS - 1 })).toEqual([]);
    expect(logLines(send({ type: 'TICK', now: T0 + TIMEOUT_MS }))).toEqual(['[IKE] IPsec phase with 192.0.2.132 timed out waiting for HASH(3)']);
    expect(state()).toBe('abandoned');
  });

  it('picks an SPI not already in use (and never a reserved one)', () => {
    const taken = new Set<string>();
    const { deliver, message1, actor } = startQuickMode({
      spiInUse: (spi) => {
        const hex = spi.toString('hex');
        if (taken.size < 3) {
          taken.add(hex);
          return true;
        }
        return taken.has(hex);
      },
    });
    deliver(message1.bytes);
    const spi = actor.getSnapshot().context.answer!.responderSpi;
    expect(taken.has(spi.toString('hex'))).toBe(false);
    expect(spi.readUInt32BE(0)).toBeGreaterThanOrEqual(256);
  });
});
