/**
 * The mode-cfg step: wait for the gateway's SET (push), or send our REQUEST and wait for its
 * REPLY (pull), or both, answering SETs as the client's behaviour says (mode-cfg.ts).
 */
import { CfgType, ExchangeType, notifyTypeName } from '../ike/constants.js';
import type { TransportPath } from '../ike/initiator/endpoints.js';
import { received, sendOf, type ClientEmitted } from './machine-events.js';
import { answerModeCfgSet, formatModeCfgConfig, modeCfgRequest, readModeCfgReply } from './mode-cfg.js';
import { answerTransaction, endTransaction, sealTransaction } from './transaction.js';
import {
  fail,
  openOrIgnore,
  remember,
  result,
  sendInformational,
  type ModeCfgProgress,
  type OutstandingRequest,
  type StepResult,
  type TunnelFailure,
  type TunnelStepContext,
} from './tunnel-context.js';
import { needsModeCfgAddress } from './tunnel-options.js';

export function enterModeCfg(context: TunnelStepContext): StepResult {
  const pull = context.options.modeCfg?.pull;
  if (!pull) return result({}, { type: 'note', text: 'waiting for the mode-cfg SET' }, { type: 'set-timer', afterMs: context.timing.peerWaitMs });
  return sendModeCfgRequest(context, 'mode-cfg REQUEST');
}

function sendModeCfgRequest(context: TunnelStepContext, note: string): StepResult {
  const pull = context.options.modeCfg!.pull!;
  let sa = context.sa!;
  // A client that asks again (racoon after each SET) drops the older REQUEST's exchange.
  if (context.modeCfg.request) sa = endTransaction(sa, context.modeCfg.request.messageId);
  const messageId = context.nextMessageId();
  const sealed = sealTransaction(sa, messageId, modeCfgRequest(pull), context.options.padding);
  const request: OutstandingRequest = { messageId, bytes: sealed.bytes, payloads: sealed.payloads, sends: 1 };
  return result(
    { sa: sealed.sa, modeCfg: { ...context.modeCfg, request, requestsSent: context.modeCfg.requestsSent + 1 } },
    sendOf(sealed.bytes, context.path, { exchangeType: ExchangeType.TRANSACTION, messageId, encrypted: true, payloads: sealed.payloads }, note),
    { type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[0]! },
  );
}

export function modeCfgTimerExpired(context: TunnelStepContext): StepResult {
  const { request } = context.modeCfg;
  const timeouts = context.timing.retransmitTimeoutsMs;
  if (request) {
    if (request.sends < timeouts.length) {
      const note = `mode-cfg REQUEST, retransmission ${request.sends}`;
      return result(
        { modeCfg: { ...context.modeCfg, request: { ...request, sends: request.sends + 1 } } },
        sendOf(request.bytes, context.path, { exchangeType: ExchangeType.TRANSACTION, messageId: request.messageId, encrypted: true, payloads: request.payloads }, note),
        { type: 'set-timer', afterMs: timeouts[request.sends]! },
      );
    }
    const text = `the gateway did not answer our mode-cfg REQUEST (${request.sends} sends)`;
    return fail({ step: 'mode-cfg', kind: 'mode-cfg-request-unanswered', sends: request.sends, text });
  }
  const text = `no mode-cfg SET within ${context.timing.peerWaitMs} ms`;
  if (needsModeCfgAddress(context.options)) return fail({ step: 'mode-cfg', kind: 'mode-cfg-no-address', text });
  return result({ modeCfg: { ...context.modeCfg, complete: true } }, { type: 'note', text: `${text}: going on without an address` });
}

export function receiveModeCfg(context: TunnelStepContext, bytes: Buffer, path: TransportPath): StepResult {
  const opened = openOrIgnore(context, bytes, path);
  if ('ignored' in opened) return opened.ignored;
  const message = opened.received;
  const behaviour = context.options.modeCfg!;
  const entry = (note: string) => received(bytes, path, message.payloads, note);
  const { attributes } = message;
  const request = context.modeCfg.request;
  if (attributes.cfgType === CfgType.REPLY && request && message.messageId === request.messageId) {
    const config = readModeCfgReply(attributes, context.modeCfg.config);
    const modeCfg: ModeCfgProgress = { ...context.modeCfg, config, replyReceived: true, request: undefined };
    return settleModeCfg(context, { sa: endTransaction(message.sa, message.messageId), modeCfg }, [entry(`mode-cfg REPLY: ${formatModeCfgConfig(config)}`), { type: 'clear-timer' }]);
  }
  if (attributes.cfgType !== CfgType.SET) return result({}, entry('ignored: neither our REPLY nor a SET'));
  const answer = answerModeCfgSet(attributes, context.modeCfg.config, behaviour);
  switch (answer.kind) {
    case 'reject': {
      // vpnc 0.5.3: the notify in its own exchange, then the ISAKMP SA deleted (capture frames 10-11).
      const notify = sendInformational(context, context.sa!, [{ kind: 'notify', notifyType: answer.notifyType, spi: Buffer.alloc(0) }], notifyTypeName(answer.notifyType));
      const deletion = sendInformational(context, notify.sa, [{ kind: 'delete-isakmp-sa' }], 'Delete of the ISAKMP SA');
      const text = `refused the gateway's mode-cfg SET with ${notifyTypeName(answer.notifyType)} while waiting for the REPLY to our REQUEST`;
      return { updates: { sa: deletion.sa, failure: { step: 'mode-cfg', kind: 'mode-cfg-set-rejected', text } }, emitted: [entry('mode-cfg SET: not the REPLY we wait for'), notify.send, deletion.send, { type: 'clear-timer' }] };
    }
    case 'reply': {
      const sealed = answerTransaction(message, answer.reply, context.options.padding);
      const note = 'empty mode-cfg REPLY to the SET';
      const modeCfg = { ...context.modeCfg, setsAnswered: context.modeCfg.setsAnswered + 1 };
      return settleModeCfg(context, { sa: sealed.sa, modeCfg, answered: remember(context, bytes, sealed.bytes, note) }, [
        entry('mode-cfg SET: no virtual IP asked for by push'),
        sendOf(sealed.bytes, path, { exchangeType: ExchangeType.TRANSACTION, messageId: message.messageId, encrypted: true, payloads: sealed.payloads }, note),
      ]);
    }
    case 'ack': {
      const sealed = answerTransaction(message, answer.ack, context.options.padding);
      const modeCfg: ModeCfgProgress = { ...context.modeCfg, config: answer.config, setsAnswered: context.modeCfg.setsAnswered + 1 };
      const unexpected = answer.ignored.map((name): ClientEmitted => ({ type: 'note', text: `Unexpected SET attribute ${name}` }));
      const emitted: ClientEmitted[] = [
        entry(`mode-cfg SET: ${formatModeCfgConfig(answer.config)}`),
        ...unexpected,
        sendOf(sealed.bytes, path, { exchangeType: ExchangeType.TRANSACTION, messageId: message.messageId, encrypted: true, payloads: sealed.payloads }, 'mode-cfg ACK'),
      ];
      const updates = { sa: sealed.sa, modeCfg, answered: remember(context, bytes, sealed.bytes, 'mode-cfg ACK') };
      const pull = behaviour.pull;
      if (pull?.when === 'after-each-set' && answer.config.address === undefined) {
        const asked = sendModeCfgRequest({ ...context, ...updates }, 'mode-cfg REQUEST after the SET');
        return settleModeCfg(context, { ...updates, ...asked.updates }, [...emitted, ...asked.emitted]);
      }
      return settleModeCfg(context, updates, emitted);
    }
  }
}

/**
 * Whether mode-cfg is over after these updates: an address installed ends it; a REQUEST still
 * unanswered keeps it open; otherwise a REPLY, or a SET answered by a push-only client, ends it.
 * Over without an address is a failure when Quick Mode needs one.
 */
function settleModeCfg(context: TunnelStepContext, updates: Partial<TunnelStepContext>, emitted: readonly ClientEmitted[]): StepResult {
  const modeCfg = updates.modeCfg ?? context.modeCfg;
  const pull = context.options.modeCfg?.pull;
  const complete =
    modeCfg.config.address !== undefined || (modeCfg.request === undefined && (modeCfg.replyReceived || (pull === undefined && modeCfg.setsAnswered > 0)));
  if (!complete) return { updates, emitted };
  if (modeCfg.config.address === undefined && needsModeCfgAddress(context.options)) {
    const failure: TunnelFailure = { step: 'mode-cfg', kind: 'mode-cfg-no-address', text: 'mode-cfg ended without an inner address' };
    return { updates: { ...updates, failure }, emitted: [...emitted, { type: 'clear-timer' }] };
  }
  const stillAsked = modeCfg.request ? [{ type: 'note' as const, text: 'our mode-cfg REQUEST is still unanswered; the pushed address is enough' }] : [];
  return { updates: { ...updates, modeCfg: { ...modeCfg, complete: true } }, emitted: [...emitted, ...stillAsked, { type: 'clear-timer' }] };
}
