/**
 * What the tunnel machine does with each datagram after Phase 1: one dispatcher for every step
 * (retransmissions answered again, Informational handled alike), then the step's own handler
 * (xauth-step.ts, mode-cfg-step.ts, quick-mode-step.ts). Also the established step and closing.
 *
 * The gateway drives XAUTH and a push mode-cfg (we wait and answer, and a retransmitted message
 * gets our stored answer again); we drive a pull mode-cfg REQUEST and Quick Mode (we resend
 * until the timer list is spent).
 */
import { ExchangeType, NotifyType, ProtocolId, notifyTypeName } from '../ike/constants.js';
import { decodeHeader } from '../ike/codec/index.js';
import type { TransportPath } from '../ike/initiator/endpoints.js';
import { parseInformational } from '../ike/initiator/informational.js';
import { isForSa } from '../ike/initiator/isakmp-sa.js';
import { received, sendOf, type ClientEmitted } from './machine-events.js';
import { receiveModeCfg } from './mode-cfg-step.js';
import { formatModeCfgConfig } from './mode-cfg.js';
import { receiveQuickMode2, repeatedQuickMode2, takeGatewaysQuickMode2 } from './quick-mode-step.js';
import { AGGRESSIVE_IN_CLEAR } from './phase1-machine.js';
import { formatEspSaPair } from '../ike/initiator/quick-mode.js';
import { fail, resend, result, sendInformational, type StepResult, type TunnelStep, type TunnelStepContext } from './tunnel-context.js';
import { receiveXauth } from './xauth-step.js';

export { enterModeCfg, modeCfgTimerExpired } from './mode-cfg-step.js';
export { confirmByEsp, confirmBySilence, enterQuickMode, enterUnconfirmed, quickModeTimerExpired } from './quick-mode-step.js';
export { enterXauth, xauthTimerExpired } from './xauth-step.js';

export function enterEstablished(context: TunnelStepContext): StepResult {
  const espSas = context.quickMode.espSas;
  const parts = [
    context.options.modeCfg ? `mode-cfg ${formatModeCfgConfig(context.modeCfg.config)}` : undefined,
    espSas ? `ESP ${formatEspSaPair(espSas)}` : 'no Quick Mode',
  ];
  return result({}, { type: 'clear-timer' }, { type: 'note', text: `established: ${parts.filter(Boolean).join('; ')}` });
}

/** Every datagram after Phase 1 comes through here, whatever the step. */
export function receiveDatagram(context: TunnelStepContext, step: Exclude<TunnelStep, 'phase1'>, bytes: Buffer, path: TransportPath): StepResult {
  const sa = context.sa!;
  const repeated = context.answered.find((answered) => answered.received.equals(bytes));
  if (repeated) {
    return result({}, received(bytes, path, undefined, 'retransmitted by the gateway: our answer again'), resend(context, repeated.answer, repeated.note));
  }
  if ((step === 'unconfirmed' || step === 'established') && context.quickMode.message2?.equals(bytes)) return repeatedQuickMode2(context, bytes, path, step);
  if (context.phase1Tail?.messages.message2.equals(bytes)) return repeatedAggressive2(context, bytes, path);
  const header = decodeHeader(bytes);
  if (!header.ok) return result({}, received(bytes, path, undefined, `ignored: ${header.error.text}`));
  if (!isForSa(sa, header.value)) return result({}, received(bytes, path, undefined, 'ignored: cookies of another SA'));
  switch (header.value.exchangeType) {
    case ExchangeType.INFORMATIONAL:
      return receiveInformational(context, step, bytes, path);
    case ExchangeType.TRANSACTION:
      if (step === 'xauth') return receiveXauth(context, bytes, path);
      if (step === 'mode-cfg') return receiveModeCfg(context, bytes, path);
      return result({}, received(bytes, path, undefined, `ignored: a Transaction message during ${step}`));
    case ExchangeType.QUICK_MODE:
      if (step === 'quick-mode') return receiveQuickMode2(context, bytes, path);
      if ((step === 'unconfirmed' || step === 'established') && header.value.messageId === context.quickMode.quickMode1?.messageId) {
        return takeGatewaysQuickMode2(context, bytes, path, step);
      }
      return result({}, received(bytes, path, undefined, `ignored: a Quick Mode message during ${step}`));
    default:
      return result({}, received(bytes, path, undefined, `ignored: exchange type ${header.value.exchangeType} after Phase 1`));
  }
}

/**
 * Aggressive Mode message 2 after Phase 1 was taken as done (by silence): the gateway did not get
 * message 3 and waits for it, so it goes again, as often as Phase 1 would have sent it.
 */
function repeatedAggressive2(context: TunnelStepContext, bytes: Buffer, path: TransportPath): StepResult {
  const tail = context.phase1Tail!;
  const entry = received(bytes, path, undefined, 'Aggressive Mode message 2 again: the gateway did not get message 3');
  if (tail.message3Resends >= context.timing.retransmitTimeoutsMs.length) return result({}, entry);
  const { message3 } = tail.messages;
  const resends = tail.message3Resends + 1;
  return result(
    { phase1Tail: { ...tail, message3Resends: resends } },
    entry,
    sendOf(message3.bytes, message3.path, { ...AGGRESSIVE_IN_CLEAR, encrypted: context.sa!.message3Encrypted, payloads: message3.payloads }, `message 3, retransmission ${resends} after Phase 1`),
  );
}

function receiveInformational(context: TunnelStepContext, step: Exclude<TunnelStep, 'phase1'>, bytes: Buffer, path: TransportPath): StepResult {
  const parsed = parseInformational(context.sa!, bytes);
  if (!parsed.ok) return result({}, received(bytes, path, undefined, `ignored: ${parsed.failure.text}`));
  const { items, payloads } = parsed.value;
  let sa = parsed.value.sa;
  const isProtected = parsed.value.protected;
  const entry = (note: string) => received(bytes, path, payloads, note);
  if (isProtected && items.some((item) => item.kind === 'delete-isakmp-sa')) {
    if (step === 'established') return result({ sa, closedBy: 'peer' }, entry('the gateway deleted the ISAKMP SA'), { type: 'clear-timer' });
    return fail({ step, kind: 'deleted-by-peer', text: `the gateway deleted the ISAKMP SA during ${step}` }, entry(`Delete during ${step}`));
  }
  // A peer may name the SA by either SPI of the pair (RFC 2408 §3.15 leaves it to the sender).
  const espSas = context.quickMode.espSas;
  const ourEspSpis = espSas ? [espSas.inbound.spi, espSas.outbound.spi] : [];
  const deletesOurEsp = items.some((item) => item.kind === 'delete' && item.protocolId === ProtocolId.IPSEC_ESP && item.spis.some((spi) => ourEspSpis.some((own) => own.equals(spi))));
  if (isProtected && step === 'established' && deletesOurEsp) {
    return result({ sa, closedBy: 'peer' }, entry('the gateway deleted the IPsec SA'), { type: 'clear-timer' });
  }
  // RFC 2408 §3.14.1: types below 16384 are errors.
  const errors = items.flatMap((item) => (item.kind === 'notify' && item.notifyType < 16384 ? [item] : []));
  if (errors.length > 0 && step !== 'established') {
    const names = errors.map((item) => notifyTypeName(item.notifyType));
    const text = `the gateway sent ${names.join(', ')} during ${step}${isProtected ? '' : ' (unprotected)'}`;
    if (step === 'quick-mode' && errors.some((item) => item.notifyType === NotifyType.NO_PROPOSAL_CHOSEN)) {
      return fail({ step: 'quick-mode', kind: 'quick-mode-no-proposal', text }, entry(text));
    }
    return fail({ step, kind: 'notify-received', notifies: names, protected: isProtected, text }, entry(text));
  }
  const emitted: ClientEmitted[] = [entry(isProtected ? 'Informational' : 'Informational in clear')];
  const dpd = items.find((item) => item.kind === 'r-u-there');
  if (isProtected && dpd?.kind === 'r-u-there' && !context.dpdAnswers) emitted.push({ type: 'note', text: `R-U-THERE ${dpd.sequence} not answered (DPD answers off)` });
  else if (isProtected && dpd?.kind === 'r-u-there') {
    const answer = sendInformational(context, sa, [{ kind: 'r-u-there-ack', sequence: dpd.sequence }], `R-U-THERE-ACK ${dpd.sequence}`);
    sa = answer.sa;
    emitted.push(answer.send);
  }
  return { updates: { sa }, emitted };
}

/** Deletes what exists: our inbound ESP SA (as strongSwan names it in its Delete), then the ISAKMP SA. */
export function closeTunnel(context: TunnelStepContext, step: Exclude<TunnelStep, 'phase1'>): StepResult {
  const emitted: ClientEmitted[] = [{ type: 'clear-timer' }];
  let sa = context.sa!;
  const espSas = context.quickMode.espSas;
  if (espSas) {
    const esp = sendInformational(context, sa, [{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [espSas.inbound.spi] }], 'Delete of the IPsec SA');
    sa = esp.sa;
    emitted.push(esp.send);
  }
  const isakmp = sendInformational(context, sa, [{ kind: 'delete-isakmp-sa' }], 'Delete of the ISAKMP SA');
  emitted.push(isakmp.send);
  if (step === 'established') return { updates: { sa: isakmp.sa, closedBy: 'us' }, emitted };
  return { updates: { sa: isakmp.sa, failure: { step, kind: 'cancelled', text: `closed during ${step}` } }, emitted };
}
