import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { CfgType, ModeCfgAttribute } from '../../src/ike/constants.js';
import { attributePayload, emptyAttribute, ipv4Attribute } from '../../src/ike/codec/index.js';
import { ZERO_PADDING } from '../../src/ike/crypto/index.js';
import {
  EMPTY_MODE_CFG_CONFIG,
  STRONGSWAN_PULL_MODE_CFG,
  STRONGSWAN_PUSH_MODE_CFG,
  answerModeCfgSet,
  answerTransaction,
  parseInformational,
  modeCfgRequest,
  openTransaction,
  readModeCfgReply,
  sealTransaction,
  vpncModeCfg,
  type IsakmpSa,
  type ModeCfgBehaviour,
} from '../../src/initiator/index.js';
import { OPENSWAN_PUSH_MODE_CFG } from '../../src/initiator/profiles/openswan.js';
import { NotifyType } from '../../src/ike/constants.js';
import { malformedAckRefusal, modeCfgMachine, type ModeCfgEvent, type ModeCfgState } from '../../src/ike-responder/mode-cfg-machine.js';
import { CLIENT, NO_DEBUG, PATH_TO_CLIENT, ROUTER, T0, decoded, establishedPair, logLines, onlySend, seededRandomBytes, sends, startCollecting } from './support.js';

const A = ModeCfgAttribute;
const ASSIGNMENT = { address: '10.1.1.110', netmask: '255.255.255.255', dns: '10.1.1.1' };

function startModeCfg(options: { answerRequests?: boolean; syslogDebug?: boolean; openswan?: boolean; sendInfo?: boolean } = {}) {
  const pair = establishedPair();
  const debug = { ...NO_DEBUG, syslogDebug: options.syslogDebug ?? false };
  const { actor, take } = startCollecting(
    createActor(modeCfgMachine, {
      input: {
        keys: pair.established,
        ivChains: pair.ivChains,
        path: PATH_TO_CLIENT,
        debug,
        schedule: { intervalMs: 5_000, retransmissions: 1 },
        randomBytes: seededRandomBytes('mode-cfg-machine'),
        answerRequests: options.answerRequests ?? false,
        openswan: options.openswan ?? false,
        sendInfo: options.sendInfo ?? true,
      },
    }),
  );
  let sa: IsakmpSa = pair.initiatorSa;
  const state = () => actor.getSnapshot().value as ModeCfgState;
  const send = (event: ModeCfgEvent) => {
    actor.send(event);
    return take();
  };
  const deliver = (bytes: Buffer, now = T0 + 200) => send({ type: 'TRANSACTION', message: decoded(bytes), from: CLIENT, local: ROUTER, natTraversal: false, now });
  /** The client answers the pushed SET (in `effects`) as `behaviour` does. */
  const answerSet = (effects: ReturnType<typeof take>, behaviour: ModeCfgBehaviour) => {
    const opened = openTransaction(sa, onlySend(effects).bytes);
    if (!opened.ok) throw new Error(opened.failure.text);
    const answer = answerModeCfgSet(opened.value.attributes, EMPTY_MODE_CFG_CONFIG, behaviour);
    if (answer.kind === 'reject') throw new Error('rejected');
    const sealed = answerTransaction(opened.value, answer.kind === 'ack' ? answer.ack : answer.reply, ZERO_PADDING);
    sa = sealed.sa;
    return { effects: deliver(sealed.bytes), answer, set: opened.value };
  };
  /** A client REQUEST in its own exchange. */
  const request = (messageId: number, behaviour: ModeCfgBehaviour = STRONGSWAN_PULL_MODE_CFG) => {
    const sealed = sealTransaction(sa, messageId, modeCfgRequest(behaviour.pull!), ZERO_PADDING);
    sa = sealed.sa;
    return { bytes: sealed.bytes, effects: deliver(sealed.bytes) };
  };
  /** Any ATTR payload the client opens an exchange of its own with. */
  const opening = (messageId: number, payload: ReturnType<typeof attributePayload>) => {
    const sealed = sealTransaction(sa, messageId, payload, ZERO_PADDING);
    sa = sealed.sa;
    return deliver(sealed.bytes);
  };
  const open = (effects: ReturnType<typeof take>) => {
    const opened = openTransaction(sa, onlySend(effects).bytes);
    if (!opened.ok) throw new Error(opened.failure.text);
    return opened.value;
  };
  return { actor, state, send, deliver, answerSet, request, opening, open, take, sa: () => sa };
}

const push = { type: 'PUSH', assignment: ASSIGNMENT, now: T0 + 100 } as const;

describe('the mode-cfg machine (push only, as the RTX)', () => {
  it('pushes SET(ADDRESS, NETMASK, DNS) in a fresh exchange; the ACK ends it', () => {
    const { send, answerSet, state } = startModeCfg();
    expect(state()).toBe('idle');
    const pushed = send(push);
    expect(state()).toBe('pushing');
    const { effects, answer, set } = answerSet(pushed, STRONGSWAN_PUSH_MODE_CFG);
    expect(set.attributes).toEqual(
      expect.objectContaining({
        cfgType: CfgType.SET,
        identifier: 0,
        attributes: [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.255'), ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.1')],
      }),
    );
    expect(answer.kind === 'ack' && answer.config).toMatchObject({ address: '10.1.1.110', netmask: '255.255.255.255', dns: ['10.1.1.1'] });
    expect(effects).toEqual([]);
    expect(state()).toBe('acknowledged');
  });

  it('takes an empty REPLY in place of the ACK (strongSwan pull = yes) as the end of the exchange, and says so', () => {
    const { send, answerSet, state } = startModeCfg();
    const { effects } = answerSet(send(push), STRONGSWAN_PULL_MODE_CFG);
    expect(logLines(effects)).toEqual(['[IKE] mode-cfg SET to 192.0.2.132 answered with a REPLY instead of an ACK: the client did not take the address']);
    expect(state()).toBe('answeredWithReply');
  });

  it('never answers a client REQUEST, and names what it asked for in the log', () => {
    const { send, request, state } = startModeCfg();
    send(push);
    const { effects } = request(0x0badcafe, vpncModeCfg('0.5.3', 'host'));
    expect(sends(effects)).toEqual([]);
    expect(logLines(effects)).toEqual([
      '[IKE] mode-cfg REQUEST from 192.0.2.132 not answered (the router only sends SET): INTERNAL-IP4-ADDRESS, INTERNAL-IP4-NETMASK, INTERNAL-IP4-DNS, INTERNAL-IP4-NBNS, UNITY-DEF-DOMAIN, UNITY-FW-TYPE, UNITY-PFS, UNITY-BANNER, UNITY-SAVE-PASSWD, UNITY-SPLIT-INCLUDE, UNITY-SPLIT-DNS, UNITY-DDNS-HOSTNAME, APPLICATION-VERSION',
    ]);
    // A REQUEST does not disturb the push in progress.
    expect(state()).toBe('pushing');
  });

  it('notes a repeated REQUEST only at debug level', () => {
    const { request, deliver } = startModeCfg({ syslogDebug: true });
    const first = request(0x01020304);
    expect(logLines(first.effects, 'info')).toHaveLength(1);
    const again = deliver(first.bytes, T0 + 1_000);
    expect(logLines(again, 'info')).toEqual([]);
    expect(logLines(again, 'debug')).toEqual([expect.stringContaining('mode-cfg REQUEST repeated, still unanswered: INTERNAL-IP4-ADDRESS')]);
  });

  it('answers REQUESTs with what the SA was assigned under the rtxlab option, and repeats the same REPLY', () => {
    const { send, request, open, deliver } = startModeCfg({ answerRequests: true });
    send(push);
    const { bytes, effects } = request(0x0a0b0c0d);
    expect(logLines(effects)).toEqual(['[IKE] mode-cfg REQUEST from 192.0.2.132 answered with REPLY (rtxlab option --answer-mode-cfg-requests): INTERNAL-IP4-ADDRESS']);
    const reply = open(effects);
    expect(reply.messageId).toBe(0x0a0b0c0d);
    expect(readModeCfgReply(reply.attributes)).toMatchObject({ address: '10.1.1.110' });
    expect(onlySend(deliver(bytes, T0 + 2_000)).bytes).toEqual(onlySend(effects).bytes);
  });

  it('answers with an empty REPLY under the option when nothing was assigned', () => {
    const { request, open } = startModeCfg({ answerRequests: true });
    expect(open(request(0x0a0b0c0e).effects).attributes).toMatchObject({ cfgType: CfgType.REPLY, attributes: [] });
  });

  it('retransmits the SET and, when no answer comes, ends unacknowledged', () => {
    const { send, state } = startModeCfg();
    const pushed = send(push);
    expect(onlySend(send({ type: 'TICK', now: T0 + 5_100 })).bytes).toEqual(onlySend(pushed).bytes);
    expect(logLines(send({ type: 'TICK', now: T0 + 10_100 }))).toEqual(['[IKE] mode-cfg SET to 192.0.2.132 not acknowledged']);
    expect(state()).toBe('unacknowledged');
  });

  it('ignores a forged message and one that opens an exchange with something else than a REQUEST', () => {
    const { send, deliver, state, opening } = startModeCfg({ syslogDebug: true });
    const pushed = send(push);
    const forged = Buffer.from(onlySend(pushed).bytes);
    forged[forged.length - 2]! ^= 0x55;
    expect(logLines(deliver(forged), 'debug')).toEqual([expect.stringContaining('[IKE] transaction from 192.0.2.132 ignored: mode-cfg: ')]);
    expect(state()).toBe('pushing');
    const set = opening(0x7e7e7e7e, attributePayload(CfgType.SET, [emptyAttribute(A.INTERNAL_IP4_ADDRESS)]));
    expect(sends(set)).toEqual([]);
    expect(logLines(set, 'debug')).toEqual([expect.stringContaining('ignored: mode-cfg: cfg type 3 opening an exchange')]);
    expect(state()).toBe('pushing');
  });

  it('with `mode-cfg method openswan` sends the same SET (named assumption), noted at debug level', () => {
    const plain = startModeCfg();
    const openswan = startModeCfg({ openswan: true, syslogDebug: true });
    const withOption = openswan.send(push);
    expect(logLines(withOption, 'debug')).toEqual([expect.stringContaining('OPENSWAN_MODE_UNCHANGED_WIRE')]);
    expect(plain.open(plain.send(push)).attributes).toEqual(openswan.open(withOption).attributes);
  });
});

describe('hypothesis H3: an ACK whose attributes carry values (OpenSWAN 2.6.16, docs/matrix.md)', () => {
  /** pluto's ACK form: ADDRESS = its view of the peer's client, NETMASK = 255.255.255.255. */
  const OPENSWAN_ACK: ModeCfgBehaviour = { ...OPENSWAN_PUSH_MODE_CFG, ackAttributes: { kind: 'openswan-values', peerClientAddress: '10.1.1.0' } };

  it('refuses it under the default method: the assumed log line, N(PAYLOAD-MALFORMED), the SET still outstanding', () => {
    const { send, answerSet, state, actor, sa } = startModeCfg();
    const { effects } = answerSet(send(push), OPENSWAN_ACK);
    expect(logLines(effects)).toEqual(['[IKE] payload malformed (192.0.2.132): mode-cfg ACK attribute INTERNAL-IP4-ADDRESS carries a value']);
    const notify = parseInformational(sa(), onlySend(effects).bytes);
    expect(notify.ok && notify.value.protected).toBe(true);
    expect(notify.ok && notify.value.items.map((item) => item.kind === 'notify' && item.notifyType)).toEqual([NotifyType.PAYLOAD_MALFORMED]);
    expect(state()).toBe('pushing');
    expect(actor.getSnapshot().context.refusedAck).toBe('mode-cfg ACK attribute INTERNAL-IP4-ADDRESS carries a value');
  });

  it('sends no notify when `send info` is off, and ends unacknowledged once the retransmissions are spent', () => {
    const { send, answerSet, state } = startModeCfg({ sendInfo: false });
    const { effects } = answerSet(send(push), OPENSWAN_ACK);
    expect(sends(effects)).toEqual([]);
    expect(logLines(effects)).toHaveLength(1);
    send({ type: 'TICK', now: T0 + 5_100 });
    send({ type: 'TICK', now: T0 + 10_100 });
    expect(state()).toBe('unacknowledged');
  });

  it('names the offending attribute: a NETMASK alone with a value is refused too', () => {
    const { send, answerSet } = startModeCfg();
    const netmaskOnly: ModeCfgBehaviour = { ...OPENSWAN_ACK, acceptedAttributes: [A.INTERNAL_IP4_NETMASK] };
    expect(logLines(answerSet(send(push), netmaskOnly).effects)).toEqual([expect.stringContaining('mode-cfg ACK attribute INTERNAL-IP4-NETMASK carries a value')]);
  });

  it('takes it under `mode-cfg method openswan`: the values are ignored', () => {
    const { send, answerSet, state, actor } = startModeCfg({ openswan: true });
    const { effects } = answerSet(send(push), OPENSWAN_ACK);
    expect(effects).toEqual([]);
    expect(state()).toBe('acknowledged');
    expect(actor.getSnapshot().context.refusedAck).toBeUndefined();
  });

  it('takes 0-length attributes (strongSwan) and an empty ACK (racoon) under the default method', () => {
    const strongswan = startModeCfg();
    strongswan.answerSet(strongswan.send(push), STRONGSWAN_PUSH_MODE_CFG);
    expect(strongswan.state()).toBe('acknowledged');
    const racoon = startModeCfg();
    racoon.answerSet(racoon.send(push), { onSet: 'ignore-and-ack', acceptedAttributes: [], answerIdentifier: 'echo' });
    expect(racoon.state()).toBe('acknowledged');
  });

  it('has no refusal to repeat for an SA whose ACK was taken', () => {
    const { send, answerSet, actor } = startModeCfg();
    answerSet(send(push), STRONGSWAN_PUSH_MODE_CFG);
    expect(malformedAckRefusal(actor.getSnapshot().context, PATH_TO_CLIENT)).toEqual([]);
  });
});
