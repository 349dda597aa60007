/**
 * The XAUTH step (draft-beaulieu-ike-xauth-02): the gateway asks, we answer each REQUEST with a
 * REPLY and its STATUS SET with an ACK; OK moves on, FAIL ends the tunnel.
 */
import { CfgType, ExchangeType, modeCfgAttributeName } from '../ike/constants.js';
import type { TransportPath } from '../ike/initiator/endpoints.js';
import { received, sendOf } from './machine-events.js';
import { answerTransaction } from './transaction.js';
import { fail, openOrIgnore, remember, result, sendInformational, type StepResult, type TunnelStepContext } from './tunnel-context.js';
import { answerXauthRequest, answerXauthStatus, isXauthStatusSet } from './xauth.js';

export function enterXauth(context: TunnelStepContext): StepResult {
  return result({}, { type: 'note', text: 'waiting for the XAUTH REQUEST' }, { type: 'set-timer', afterMs: context.timing.peerWaitMs });
}

export function xauthTimerExpired(context: TunnelStepContext): StepResult {
  const waited = `within ${context.timing.peerWaitMs} ms`;
  if (context.xauth.rounds === 0) return fail({ step: 'xauth', kind: 'xauth-no-request', text: `no XAUTH REQUEST ${waited} after Phase 1` });
  return fail({ step: 'xauth', kind: 'xauth-no-status', text: `no XAUTH-STATUS ${waited} after our REPLY` });
}

export function receiveXauth(context: TunnelStepContext, bytes: Buffer, path: TransportPath): StepResult {
  const opened = openOrIgnore(context, bytes, path);
  if ('ignored' in opened) return opened.ignored;
  const message = opened.received;
  const { credentials, behaviour } = context.options.xauth!;
  const entry = (note: string) => received(bytes, path, message.payloads, note);
  const attributes = message.attributes;
  if (attributes.cfgType === CfgType.REQUEST) {
    const rounds = context.xauth.rounds + 1;
    if (rounds > context.options.maxXauthRounds) {
      return fail({ step: 'xauth', kind: 'xauth-unsupported', text: `the gateway asked ${rounds} times; giving up` }, entry('XAUTH REQUEST once too often'));
    }
    const answer = answerXauthRequest(attributes, credentials, behaviour);
    if (!answer.ok) return fail({ step: 'xauth', kind: 'xauth-unsupported', text: answer.text }, entry(`XAUTH REQUEST: ${answer.text}`));
    const sealed = answerTransaction(message, answer.reply, context.options.padding);
    const note = `XAUTH REPLY as ${credentials.userName}`;
    return result(
      { sa: sealed.sa, xauth: { ...context.xauth, rounds, ...(answer.message === undefined ? {} : { message: answer.message }) }, answered: remember(context, bytes, sealed.bytes, note) },
      entry(`XAUTH REQUEST ${attributes.attributes.map((attribute) => modeCfgAttributeName(attribute.type)).join(' ')}`),
      sendOf(sealed.bytes, path, { exchangeType: ExchangeType.TRANSACTION, messageId: message.messageId, encrypted: true, payloads: sealed.payloads }, note),
      { type: 'set-timer', afterMs: context.timing.peerWaitMs },
    );
  }
  if (attributes.cfgType === CfgType.SET && isXauthStatusSet(attributes)) {
    const answer = answerXauthStatus(attributes, behaviour);
    if (!answer.ok) return fail({ step: 'xauth', kind: 'xauth-unsupported', text: answer.text }, entry(`XAUTH SET refused: ${answer.text}`));
    const sealed = answerTransaction(message, answer.ack, context.options.padding);
    const ack = sendOf(sealed.bytes, path, { exchangeType: ExchangeType.TRANSACTION, messageId: message.messageId, encrypted: true, payloads: sealed.payloads }, 'XAUTH ACK');
    const answered = remember(context, bytes, sealed.bytes, 'XAUTH ACK');
    if (answer.status === 'ok') {
      return result({ sa: sealed.sa, answered, xauth: { ...context.xauth, status: 'ok' } }, entry('XAUTH-STATUS OK'), ack, { type: 'clear-timer' });
    }
    const text = `the gateway refused user ${credentials.userName} (XAUTH-STATUS FAIL)`;
    if (!behaviour.deleteOnFailure) return fail({ step: 'xauth', kind: 'xauth-failed', text }, entry('XAUTH-STATUS FAIL'), ack);
    const deletion = sendInformational(context, sealed.sa, [{ kind: 'delete-isakmp-sa' }], 'Delete of the ISAKMP SA');
    return { updates: { sa: deletion.sa, answered, failure: { step: 'xauth', kind: 'xauth-failed', text } }, emitted: [entry('XAUTH-STATUS FAIL'), ack, deletion.send, { type: 'clear-timer' }] };
  }
  return result({}, entry('ignored: not an XAUTH REQUEST or status SET'));
}
