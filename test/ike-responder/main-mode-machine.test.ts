import { describe, expect, it } from 'vitest';
import { ExchangeType, NotifyType } from '../../src/ike/constants.js';
import { decodeHeader, decodeMessage, hashPayload, idPayload, type DecodedPayload } from '../../src/ike/codec/index.js';
import { ZERO_PADDING, dhGroup } from '../../src/ike/crypto/index.js';
import { encodeMainModeClearMessage, sealIdentityMessage } from '../../src/ike/main-mode.js';
import {
  buildMainMode1,
  buildMainMode3,
  buildMainMode5,
  processMainMode2,
  processMainMode4,
  processMainMode6,
  type MainMode1State,
} from '../../src/ike/initiator/main-mode.js';
import type { InitiatorOptions } from '../../src/initiator/index.js';
import type { ResponderEffect } from '../../src/ike-responder/port.js';
import type { GatewayPolicy } from '../../src/ike-responder/policy.js';
import type { RtxIkeResponder } from '../../src/ike-responder/responder.js';
import {
  CLIENT,
  ClientFlow,
  ROUTER,
  T0,
  clientOptions,
  inbound,
  logLines,
  newRemoteAccessResponder,
  newResponder,
  onlySend,
  seedGateway,
  seededRandomBytes,
  sends,
} from './support.js';

/** A site-to-site gateway as Yamaha's examples write it: the peer's fixed address, no name, no XAUTH. */
function fixedAddressGateway(overrides: Partial<Omit<GatewayPolicy, 'gatewayId'>> = {}): GatewayPolicy {
  return seedGateway({
    remoteAddress: { kind: 'ip', address: CLIENT.address },
    xauth: { request: false },
    saPolicy: { policyId: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' },
    ...overrides,
  });
}

function mainModeClient(overrides: Partial<InitiatorOptions> = {}, seed = 'mm-client'): MainMode1State & { bytes: Buffer } {
  const options = clientOptions({ identity: { kind: 'ipv4-address', address: CLIENT.address }, proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'pre-shared-key', lifeSeconds: 28800 }], ...overrides });
  const random = seededRandomBytes(seed);
  const built = buildMainMode1(options, { initiatorCookie: Buffer.concat([Buffer.of(0x02), random(7)]), nonce: random(32), dhPrivateKey: random(dhGroup(2).privateExponentLength) });
  return { ...built.state, bytes: built.bytes };
}

const endpoints = { local: CLIENT, remote: ROUTER };

/** Messages 1 to 4: the client keyed, message 5 not sent yet. */
function exchange1234(responder: RtxIkeResponder, overrides: Partial<InitiatorOptions> = {}) {
  const client = mainModeClient(overrides);
  const effects2 = responder.receive(inbound(client.bytes), T0);
  const message2 = onlySend(effects2);
  const two = processMainMode2(client, message2.bytes);
  if (!two.ok) throw new Error(two.failure.text);
  const three = buildMainMode3(two.state, endpoints);
  const effects4 = responder.receive(inbound(three.bytes), T0 + 10);
  const message4 = onlySend(effects4);
  const four = processMainMode4(three.state, message4.bytes);
  if (!four.ok) throw new Error(four.failure.text);
  return { client, effects2, message2, message3: three.bytes, effects4, message4, keyed: four.state };
}

function payloadTypes(effects: readonly ResponderEffect[]): string[][] {
  return effects.flatMap((effect) => (effect.kind === 'event' && effect.event.type === 'ike-message' ? [(effect.event.payloads ?? []).map((payload) => payload.type)] : []));
}

function notifyTypeSent(effects: readonly ResponderEffect[]): number | undefined {
  const decoded = decodeMessage(onlySend(effects).bytes);
  if (!decoded.ok || decoded.value.kind !== 'cleartext') return undefined;
  const notify = decoded.value.payloads.find((payload: DecodedPayload) => payload.type === 'notify');
  return notify?.type === 'notify' ? notify.notifyType : undefined;
}

describe('Main Mode responder (RFC 2409 §5, pre-shared key): peers chosen by source address', () => {
  it('answers messages 1, 3 and 5 with 2, 4 and 6; the client verifies HASH_R and both hold the same keys', () => {
    const responder = newResponder([fixedAddressGateway()]);
    const { effects2, effects4, keyed } = exchange1234(responder);
    expect(logLines(effects2)).toEqual([`[IKE] respond ISAKMP phase to ${CLIENT.address}`]);
    // Message 2 carries the chosen transform only; message 4 KE and Nr; no NAT-D without NAT-T.
    expect(payloadTypes(effects2)).toEqual([['sa'], ['sa']]);
    expect(payloadTypes(effects4)).toEqual([['ke', 'nonce'], ['ke', 'nonce']]);
    const five = buildMainMode5(keyed, { encrypt: true, initialContact: true });
    const effects6 = responder.receive(inbound(five.bytes), T0 + 20);
    const message6 = onlySend(effects6);
    const header = decodeHeader(message6.bytes);
    expect(header.ok && header.value).toMatchObject({ exchangeType: ExchangeType.IDENTITY_PROTECTION, flags: 1, messageId: 0 });
    const sa = processMainMode6(five.state, message6.bytes);
    if (!sa.ok) throw new Error(sa.failure.text);
    // IDir: `ipsec ike local address`, as in Aggressive Mode.
    expect(sa.state.responderIdentity).toEqual({ kind: 'ipv4-address', address: '172.16.0.254' });
    expect(logLines(effects6)).toEqual([`[IKE] initial contact from ${CLIENT.address}`]);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'established', exchange: 'main', gatewayId: 1, number: 1 })]);
    expect(effects6).toContainEqual(expect.objectContaining({ kind: 'event', event: expect.objectContaining({ type: 'isakmp-sa-up', gatewayId: 1 }) }));
  });

  it('gives `remote address any` gateways no Main Mode peer: an unknown address gets NO-PROPOSAL-CHOSEN under `send info on`', () => {
    const responder = newResponder([seedGateway()]);
    const effects = responder.receive(inbound(mainModeClient().bytes), T0);
    expect(logLines(effects)).toEqual([`[IKE] no gateway for ${CLIENT.address} (Main Mode needs ipsec ike remote address)`]);
    expect(notifyTypeSent(effects)).toBe(NotifyType.NO_PROPOSAL_CHOSEN);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('logs an unknown address a bounded number of times (per-peer drop-line limit)', () => {
    const responder = newResponder([seedGateway()], { limits: { dropLinesPerPeer: 2 } });
    const lines = [1, 2, 3, 4, 5].flatMap((n) => logLines(responder.receive(inbound(mainModeClient({}, `flood-${n}`).bytes), T0 + n)));
    expect(lines.filter((text) => text.includes('no gateway for'))).toHaveLength(2);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('a gateway naming another address is no candidate either; with `send info off` nothing is sent', () => {
    const responder = newResponder([fixedAddressGateway({ remoteAddress: { kind: 'ip', address: '198.51.100.7' } })]);
    expect(logLines(responder.receive(inbound(mainModeClient().bytes), T0))).toEqual([expect.stringContaining('no gateway for 192.0.2.132')]);
    const quiet = newResponder([fixedAddressGateway({ sendInfo: false })]);
    const { keyed } = exchange1234(quiet, { preSharedKey: Buffer.from('not-the-key') });
    expect(sends(quiet.receive(inbound(buildMainMode5(keyed, { encrypt: true }).bytes), T0 + 20))).toEqual([]);
  });

  it('a disabled gateway is no candidate: NO-PROPOSAL-CHOSEN, no SA', () => {
    const responder = newResponder([fixedAddressGateway({ enabled: false })]);
    expect(notifyTypeSent(responder.receive(inbound(mainModeClient().bytes), T0))).toBe(NotifyType.NO_PROPOSAL_CHOSEN);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('refuses a message 5 whose HASH_I does not verify: INVALID-HASH-INFORMATION, no SA', () => {
    const responder = newResponder([fixedAddressGateway()]);
    const { keyed } = exchange1234(responder);
    const cookies = { initiatorCookie: keyed.mainMode3.mainMode2.mainMode1.initiatorCookie, responderCookie: keyed.mainMode3.mainMode2.responderCookie };
    const forged = sealIdentityMessage(keyed.keying.saCipher, keyed.keying.ivChains, cookies, [idPayload({ kind: 'ipv4-address', address: CLIENT.address }), hashPayload(Buffer.alloc(20, 0xee))], ZERO_PADDING);
    const effects = responder.receive(inbound(forged.bytes), T0 + 20);
    expect(logLines(effects)).toEqual([`[IKE] HASH mismatch, pre-shared key may differ (${CLIENT.address})`]);
    expect(notifyTypeSent(effects)).toBe(NotifyType.INVALID_HASH_INFORMATION);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('refuses a client with another pre-shared key at message 5 (it does not decrypt), and the client would refuse message 6', () => {
    const responder = newResponder([fixedAddressGateway()]);
    const { keyed } = exchange1234(responder, { preSharedKey: Buffer.from('not-the-key') });
    const five = buildMainMode5(keyed, { encrypt: true });
    const effects = responder.receive(inbound(five.bytes), T0 + 20);
    expect(logLines(effects)).toEqual([`[IKE] message 5 does not decrypt, pre-shared key may differ (${CLIENT.address})`]);
    expect(notifyTypeSent(effects)).toBe(NotifyType.PAYLOAD_MALFORMED);
    expect(responder.isakmpSas()).toEqual([]);
    const answer = processMainMode6(five.state, onlySend(effects).bytes);
    expect(answer.ok === false && answer.failure.kind).toBe('notify-received');
  });

  it('refuses a message 5 sent in clear (identities are protected): PAYLOAD-MALFORMED, no SA', () => {
    const responder = newResponder([fixedAddressGateway()]);
    exchange1234(responder);
    const cookies = responder.isakmpSas()[0]!;
    const clear = encodeMainModeClearMessage(cookies, [idPayload({ kind: 'ipv4-address', address: CLIENT.address }), hashPayload(Buffer.alloc(20))]);
    const effects = responder.receive(inbound(clear), T0 + 20);
    expect(logLines(effects)).toEqual([expect.stringContaining(`[IKE] payload malformed (${CLIENT.address}): the identities of Main Mode travel encrypted`)]);
    expect(notifyTypeSent(effects)).toBe(NotifyType.PAYLOAD_MALFORMED);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('answers a repeated message 1 and 3 with the stored message 2 and 4, and a repeated 5 with the stored 6', () => {
    const responder = newResponder([fixedAddressGateway()]);
    const { client, message2, message3, message4, keyed } = exchange1234(responder);
    // A late copy of message 1 after the SA moved on to message 4 is ignored.
    expect(sends(responder.receive(inbound(client.bytes), T0 + 12))).toEqual([]);
    expect(onlySend(responder.receive(inbound(message3), T0 + 15)).bytes).toEqual(message4.bytes);
    const five = buildMainMode5(keyed, { encrypt: true });
    const message6 = onlySend(responder.receive(inbound(five.bytes), T0 + 20)).bytes;
    expect(onlySend(responder.receive(inbound(five.bytes), T0 + 25)).bytes).toEqual(message6);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'established' })]);
    expect(message2.bytes).not.toEqual(message4.bytes);
  });

  it('sends message 2 again on the clock while message 3 does not come, then gives up at the half-open time', () => {
    const responder = newResponder([fixedAddressGateway()], { limits: { retransmitIntervalMs: 5_000, retransmissions: 2, halfOpenTimeoutMs: 30_000 } });
    const client = mainModeClient();
    const message2 = onlySend(responder.receive(inbound(client.bytes), T0)).bytes;
    expect(responder.nextDeadline()).toBe(T0 + 5_000);
    expect(onlySend(responder.tick(T0 + 5_000)).bytes).toEqual(message2);
    expect(onlySend(responder.tick(T0 + 10_000)).bytes).toEqual(message2);
    expect(responder.nextDeadline()).toBe(T0 + 30_000);
    expect(logLines(responder.tick(T0 + 30_000))).toEqual([`[IKE] ISAKMP phase with ${CLIENT.address} timed out`]);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('sends message 4 again on the clock while message 5 does not come', () => {
    const responder = newResponder([fixedAddressGateway()], { limits: { retransmitIntervalMs: 5_000, retransmissions: 2 } });
    const { message4 } = exchange1234(responder);
    expect(onlySend(responder.tick(T0 + 10 + 5_000)).bytes).toEqual(message4.bytes);
  });

  it('carries NAT-T: VID in message 2, NAT-D in message 4, message 5 accepted on the NAT-T port and the SA answers there', () => {
    const responder = newResponder([fixedAddressGateway({ natTraversal: { enabled: true, keepaliveSeconds: 300, force: false } })]);
    const { effects2, effects4, keyed } = exchange1234(responder, { vendorIds: ['NAT_T_RFC3947'], natTraversal: 'force' });
    expect(payloadTypes(effects2)[1]).toEqual(['sa', 'vendor-id']);
    expect(payloadTypes(effects4)[1]).toEqual(['ke', 'nonce', 'nat-d', 'nat-d']);
    expect(keyed.natTraversal).toMatchObject({ method: 'rfc3947', floated: true });
    const five = buildMainMode5(keyed, { encrypt: true });
    const natT = { address: CLIENT.address, port: 4500 };
    const effects6 = responder.receive(inbound(five.bytes, natT, { natTraversal: true }), T0 + 20);
    expect(onlySend(effects6)).toMatchObject({ to: natT, natTraversal: true });
    expect(processMainMode6(five.state, onlySend(effects6).bytes).ok).toBe(true);
  });

  it('runs Quick Mode under a Main Mode SA as under Aggressive Mode: IPsec SAs installed, tunnel up', () => {
    const responder = newRemoteAccessResponder([fixedAddressGateway()]);
    const { keyed } = exchange1234(responder);
    const five = buildMainMode5(keyed, { encrypt: true });
    const sa = processMainMode6(five.state, onlySend(responder.receive(inbound(five.bytes), T0 + 20)).bytes);
    if (!sa.ok) throw new Error(sa.failure.text);
    // No XAUTH was asked for: the next message is the client's Quick Mode.
    const flow = new ClientFlow(responder, sa.state, { now: T0 + 30 });
    const { effects, espSas } = flow.quickMode({
      localId: { kind: 'ipv4-subnet', address: '192.168.10.0', netmask: '255.255.255.0' },
      remoteId: { kind: 'ipv4-subnet', address: '192.168.0.0', netmask: '255.255.255.0' },
    });
    expect(logLines(effects)).toContain('IP Tunnel[1] Up');
    expect(responder.ipsecSaPairs()).toEqual([expect.objectContaining({ tunnelId: 1, inbound: expect.objectContaining({ spi: espSas.outbound.spi }) })]);
  });

  it('an Aggressive Mode message under a Main Mode SA cookies is ignored', () => {
    const responder = newResponder([fixedAddressGateway()], { syslogDebug: true });
    const { message3 } = exchange1234(responder);
    const aggressive = Buffer.from(message3);
    aggressive[18] = ExchangeType.AGGRESSIVE;
    const effects = responder.receive(inbound(aggressive), T0 + 15);
    expect(sends(effects)).toEqual([]);
    expect(logLines(effects, 'debug')).toEqual([expect.stringContaining('AGGRESSIVE_3 message for an ISAKMP SA made in Main Mode')]);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ state: 'awaitingMainMode5' })]);
  });

  it('keeps the keys of message 4 for captures (one ike-keys effect per SA)', () => {
    const responder = newResponder([fixedAddressGateway()]);
    const { effects4, keyed } = exchange1234(responder);
    expect(effects4.filter((effect) => effect.kind === 'ike-keys')).toEqual([
      { kind: 'ike-keys', initiatorCookie: keyed.mainMode3.mainMode2.mainMode1.initiatorCookie, encryptionKey: keyed.keying.keys.encryptionKey },
    ]);
  });
});

