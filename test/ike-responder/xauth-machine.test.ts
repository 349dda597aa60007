import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { CfgType, ExchangeType, ModeCfgAttribute, XauthStatus, XauthType } from '../../src/ike/constants.js';
import { attributePayload, emptyAttribute, textAttribute, tvAttribute, type AttributePayload } from '../../src/ike/codec/index.js';
import { ZERO_PADDING } from '../../src/ike/crypto/index.js';
import {
  RACOON_XAUTH,
  STRONGSWAN_XAUTH,
  VPNC_XAUTH,
  answerTransaction,
  answerXauthRequest,
  answerXauthStatus,
  openTransaction,
  type IsakmpSa,
  type XauthBehaviour,
} from '../../src/initiator/index.js';
import { xauthMachine, type XauthEvent, type XauthState } from '../../src/ike-responder/xauth-machine.js';
import type { XauthDirectory } from '../../src/ike-responder/policy.js';
import { CLIENT, NO_DEBUG, PATH_TO_CLIENT, ROUTER, T0, decoded, establishedPair, logLines, onlySend, seedXauthUsers, seededRandomBytes, sends, startCollecting } from './support.js';

const SCHEDULE = { intervalMs: 5_000, retransmissions: 2 };
const A = ModeCfgAttribute;

function startXauth(options: { directory?: XauthDirectory; userGroupId?: number | null } = {}) {
  const pair = establishedPair();
  const { actor, take } = startCollecting(
    createActor(xauthMachine, {
      input: {
        keys: pair.established,
        ivChains: pair.ivChains,
        path: PATH_TO_CLIENT,
        ...(options.userGroupId === null ? {} : { userGroupId: options.userGroupId ?? 11 }),
        directory: options.directory ?? seedXauthUsers(),
        debug: NO_DEBUG,
        schedule: SCHEDULE,
        randomBytes: seededRandomBytes('xauth-machine'),
        now: T0,
      },
    }),
  );
  let sa: IsakmpSa = pair.initiatorSa;
  const first = take();
  const state = () => actor.getSnapshot().value as XauthState;
  const send = (event: XauthEvent) => {
    actor.send(event);
    return take();
  };
  /** The client opens what the machine sent and answers it with `answer(attributes)`. */
  const reply = (effects: ReturnType<typeof take>, answer: (received: AttributePayload) => AttributePayload, now = T0 + 100) => {
    const opened = openTransaction(sa, onlySend(effects).bytes);
    if (!opened.ok) throw new Error(opened.failure.text);
    const sealed = answerTransaction(opened.value, answer(opened.value.attributes), ZERO_PADDING);
    sa = sealed.sa;
    return send({ type: 'TRANSACTION', message: decoded(sealed.bytes), from: CLIENT, local: ROUTER, natTraversal: false, now });
  };
  return { actor, first, state, send, reply, take, clientSa: pair.initiatorSa };
}

const withCredentials =
  (userName: string, password: string, behaviour: XauthBehaviour = STRONGSWAN_XAUTH) =>
  (request: AttributePayload): AttributePayload => {
    const answer = answerXauthRequest(request, { userName, password }, behaviour);
    if (!answer.ok) throw new Error(answer.text);
    return answer.reply;
  };

const acknowledging =
  (behaviour: XauthBehaviour = STRONGSWAN_XAUTH) =>
  (set: AttributePayload): AttributePayload => {
    const answer = answerXauthStatus(set, behaviour);
    if (!answer.ok) throw new Error(answer.text);
    return answer.ack;
  };

function sentAttributes(sa: IsakmpSa, effects: ReturnType<ReturnType<typeof startXauth>['take']>) {
  const opened = openTransaction(sa, onlySend(effects).bytes);
  if (!opened.ok) throw new Error(opened.failure.text);
  return opened.value;
}

describe('the XAUTH server machine', () => {
  it('starts with REQUEST(XAUTH-TYPE generic, USER-NAME, USER-PASSWORD) in a fresh Transaction, encrypted, commit bit clear', () => {
    const { first, state, clientSa } = startXauth();
    expect(state()).toBe('awaitingReply');
    const request = sentAttributes(clientSa, first);
    expect(request.header).toMatchObject({ exchangeType: ExchangeType.TRANSACTION, flags: 0x01 });
    expect(request.messageId).not.toBe(0);
    expect(request.attributes).toEqual(
      expect.objectContaining({
        cfgType: CfgType.REQUEST,
        attributes: [tvAttribute(A.XAUTH_TYPE, XauthType.GENERIC), emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_USER_PASSWORD)],
      }),
    );
  });

  it('accepts user1/password of group 11: SET(STATUS=1) in a new exchange, then ACK -> authenticated', () => {
    const { first, state, reply, actor } = startXauth();
    const set = reply(first, withCredentials('user1', 'password'));
    expect(logLines(set)).toEqual(['[IKE] XAUTH user user1 authenticated (192.0.2.132)']);
    expect(state()).toBe('reportingSuccess');
    const done = reply(set, acknowledging());
    expect(done).toEqual([]);
    expect(state()).toBe('authenticated');
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().context.verdict).toMatchObject({ kind: 'accepted', account: { username: 'user1' }, attributes: { xauth: true } });
  });

  it('sends the status SET as one TV XAUTH-STATUS=1 with a new M-ID (vpnc accepts nothing else)', () => {
    const { first, reply, clientSa } = startXauth();
    const requestMessageId = sentAttributes(clientSa, first).messageId;
    const set = reply(first, withCredentials('user1', 'password', VPNC_XAUTH));
    const opened = sentAttributes(clientSa, set);
    expect(opened.messageId).not.toBe(requestMessageId);
    expect(opened.attributes.attributes).toEqual([tvAttribute(A.XAUTH_STATUS, XauthStatus.OK)]);
    expect(answerXauthStatus(opened.attributes, VPNC_XAUTH)).toMatchObject({ ok: true, status: 'ok' });
  });

  it('takes vpnc\'s and racoon\'s REPLY and ACK forms too (echoed identifier, XAUTH-TYPE echoed, TV acks)', () => {
    for (const behaviour of [VPNC_XAUTH, RACOON_XAUTH]) {
      const { first, state, reply } = startXauth();
      const set = reply(first, withCredentials('user1', 'password', behaviour));
      reply(set, acknowledging(behaviour));
      expect(state()).toBe('authenticated');
    }
  });

  it.each([
    ['a wrong password', 'user1', 'wrong', 'wrong password'],
    ['an unknown user', 'mallory', 'password', 'unknown user'],
  ])('refuses %s: SET(STATUS=0), then ACK -> rejected', (_, user, password, reason) => {
    const { first, state, reply, actor, clientSa } = startXauth();
    const set = reply(first, withCredentials(user, password));
    expect(logLines(set)).toEqual([`[IKE] XAUTH user ${user} refused: ${reason} (192.0.2.132)`]);
    expect(state()).toBe('reportingFailure');
    expect(sentAttributes(clientSa, set).attributes.attributes).toEqual([tvAttribute(A.XAUTH_STATUS, XauthStatus.FAIL)]);
    reply(set, acknowledging());
    expect(state()).toBe('rejected');
    expect(actor.getSnapshot().context.verdict).toMatchObject({ kind: 'refused', reason });
  });

  it('refuses a user outside the gateway\'s group, and one whose xauth attribute is off', () => {
    const directory = seedXauthUsers('auth user 7 user7 secret7\nauth user group 12 7\nauth user 8 user8 secret8\nauth user group 11 8\nauth user attribute 8 xauth=off\n');
    const outside = startXauth({ directory });
    expect(logLines(outside.reply(outside.first, withCredentials('user7', 'secret7')))).toEqual(['[IKE] XAUTH user user7 refused: not in the user group (192.0.2.132)']);
    // The user's own xauth=off wins over the group's xauth=on (§15.33).
    const off = startXauth({ directory });
    expect(logLines(off.reply(off.first, withCredentials('user8', 'secret8')))).toEqual(['[IKE] XAUTH user user8 refused: xauth is off for the user (192.0.2.132)']);
  });

  it('without a group in `xauth request`, any `auth user` with xauth on may log in', () => {
    const directory = seedXauthUsers('auth user 9 user9 secret9\nauth user attribute 9 xauth=on\n');
    const { first, reply, state } = startXauth({ directory, userGroupId: null });
    reply(first, withCredentials('user9', 'secret9'));
    expect(state()).toBe('reportingSuccess');
  });

  it('refuses a REPLY without the credentials', () => {
    const { first, reply, state } = startXauth();
    reply(first, (request) => attributePayload(CfgType.REPLY, [], request.identifier));
    expect(state()).toBe('reportingFailure');
    const nameOnly = startXauth();
    expect(logLines(nameOnly.reply(nameOnly.first, () => attributePayload(CfgType.REPLY, [textAttribute(A.XAUTH_USER_NAME, 'user1')])))).toEqual([
      '[IKE] XAUTH user refused: no credentials (192.0.2.132)',
    ]);
  });

  it('ignores what is not the awaited answer: a SET instead of the REPLY, a forged HASH', () => {
    const { first, reply, state, send } = startXauth();
    expect(reply(first, () => attributePayload(CfgType.SET, []))).toEqual([]);
    expect(state()).toBe('awaitingReply');
    const bytes = Buffer.from(onlySend(first).bytes);
    bytes[bytes.length - 1]! ^= 0xff;
    expect(send({ type: 'TRANSACTION', message: decoded(bytes), from: CLIENT, local: ROUTER, natTraversal: false, now: T0 + 10 })).toEqual([]);
    expect(state()).toBe('awaitingReply');
  });

  it('retransmits the same REQUEST every interval and gives up after the last retransmission', () => {
    const { first, send, state } = startXauth();
    expect(send({ type: 'TICK', now: T0 + 4_999 })).toEqual([]);
    const again = send({ type: 'TICK', now: T0 + 5_000 });
    expect(onlySend(again).bytes).toEqual(onlySend(first).bytes);
    expect(sends(send({ type: 'TICK', now: T0 + 10_000 }))).toHaveLength(1);
    expect(logLines(send({ type: 'TICK', now: T0 + 15_000 }))).toEqual(['[IKE] XAUTH with 192.0.2.132 timed out waiting for the REPLY']);
    expect(state()).toBe('timedOut');
  });

  it('after a refusal, ends in rejected even when the client never ACKs', () => {
    const { first, reply, send, state } = startXauth();
    reply(first, withCredentials('user1', 'nope'), T0 + 100);
    send({ type: 'TICK', now: T0 + 5_100 });
    send({ type: 'TICK', now: T0 + 10_100 });
    expect(state()).toBe('reportingFailure');
    send({ type: 'TICK', now: T0 + 15_100 });
    expect(state()).toBe('rejected');
  });
});
