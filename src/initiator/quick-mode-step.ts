/**
 * The Quick Mode step: send message 1 and resend it until message 2 comes; verify it, send
 * message 3, and keep message 3 for a gateway that repeats message 2. Then the unconfirmed step:
 * message 3 gets no answer, and a gateway that lost it has no SAs, so the tunnel counts as up
 * only once ESP comes from the gateway or message 2 has not come again for longer than the
 * gateway's resend interval (`message3QuietMs`).
 */
import { ExchangeType } from '../ike/constants.js';
import type { TransportPath } from '../ike/initiator/endpoints.js';
import { received, sendOf } from './machine-events.js';
import { buildQuickMode1, buildQuickMode3, processQuickMode2, resolveQuickModeRequest } from '../ike/initiator/quick-mode.js';
import { INITIAL_QUICK_MODE, NOTHING, fail, result, type StepResult, type TunnelStepContext } from './tunnel-context.js';

export function enterQuickMode(context: TunnelStepContext): StepResult {
  const quickMode = context.options.quickMode!;
  const resolved = resolveQuickModeRequest(quickMode, context.sa!, context.modeCfg.config.address);
  if (!resolved.ok) return fail({ step: 'mode-cfg', kind: 'mode-cfg-no-address', text: resolved.text });
  const built = buildQuickMode1(context.sa!, resolved.request, context.nextQuickModeRandomness(resolved.request));
  const { messageId } = built.state;
  return result(
    { sa: built.state.sa, quickMode: { ...INITIAL_QUICK_MODE, quickMode1: built.state, sends: 1 } },
    sendOf(built.bytes, context.path, { exchangeType: ExchangeType.QUICK_MODE, messageId, encrypted: true, payloads: built.payloads }, 'Quick Mode message 1'),
    { type: 'set-timer', afterMs: context.timing.retransmitTimeoutsMs[0]! },
  );
}

export function quickModeTimerExpired(context: TunnelStepContext): StepResult {
  const { quickMode1, sends } = context.quickMode;
  const timeouts = context.timing.retransmitTimeoutsMs;
  if (!quickMode1) return NOTHING;
  if (sends >= timeouts.length) {
    return fail({ step: 'quick-mode', kind: 'quick-mode-no-response', sends, text: `no Quick Mode message 2 after ${sends} sends` });
  }
  const note = `Quick Mode message 1, retransmission ${sends}`;
  return result(
    { quickMode: { ...context.quickMode, sends: sends + 1 } },
    sendOf(quickMode1.message1, context.path, { exchangeType: ExchangeType.QUICK_MODE, messageId: quickMode1.messageId, encrypted: true }, note),
    { type: 'set-timer', afterMs: timeouts[sends]! },
  );
}

export function receiveQuickMode2(context: TunnelStepContext, bytes: Buffer, path: TransportPath): StepResult {
  const quickMode1 = context.quickMode.quickMode1!;
  const processed = processQuickMode2(quickMode1, bytes);
  if (!processed.ok) {
    const { failure } = processed;
    const entry = received(bytes, path, processed.payloads, `Quick Mode message 2 refused: ${failure.text}`);
    switch (failure.kind) {
      // Noise, forgeries and other exchanges do not end Quick Mode; the timer does.
      case 'foreign-message':
      case 'malformed':
      case 'cleartext':
      case 'missing-hash':
      case 'hash-mismatch':
      case 'not-quick-mode':
        return result({}, received(bytes, path, processed.payloads, `ignored: ${failure.text}`));
      case 'proposal-not-offered':
        return fail({ step: 'quick-mode', kind: 'quick-mode-no-proposal', text: failure.text }, entry);
      default:
        return fail({ step: 'quick-mode', kind: 'quick-mode-refused', reason: failure.kind, text: failure.text }, entry);
    }
  }
  const state = processed.state;
  const built = buildQuickMode3(state);
  const commit = state.commitBit ? [{ type: 'note' as const, text: 'message 2 had the commit bit set: ignored (no CONNECTED notify awaited)' }] : [];
  const message3 = { bytes: built.bytes, payloads: built.payloads };
  return result(
    { sa: built.sa, quickMode: { ...context.quickMode, message2: Buffer.from(bytes), message3, espSas: built.espSas } },
    received(bytes, path, processed.payloads, 'Quick Mode message 2: HASH(2) verified'),
    ...commit,
    sendOf(built.bytes, context.path, { exchangeType: ExchangeType.QUICK_MODE, messageId: quickMode1.messageId, encrypted: true, payloads: built.payloads }, 'Quick Mode message 3'),
    { type: 'clear-timer' },
  );
}

/** Message 2 again: the gateway did not get message 3, which goes again (a bounded number of times). */
export function repeatedQuickMode2(context: TunnelStepContext, bytes: Buffer, path: TransportPath, step: 'unconfirmed' | 'established'): StepResult {
  const { message3, message3Resends, quickMode1 } = context.quickMode;
  const entry = received(bytes, path, undefined, 'Quick Mode message 2 again: the gateway did not get message 3');
  if (!message3 || !quickMode1) return result({}, entry);
  if (message3Resends >= context.options.maxQuickMode3Resends) {
    if (step === 'established') return result({}, entry);
    const sends = message3Resends + 1;
    return fail({ step, kind: 'quick-mode-unconfirmed', sends, text: `the gateway repeated Quick Mode message 2 after ${sends} sends of message 3` }, entry);
  }
  return result(
    { quickMode: { ...context.quickMode, message3Resends: message3Resends + 1 } },
    entry,
    sendOf(message3.bytes, context.path, { exchangeType: ExchangeType.QUICK_MODE, messageId: quickMode1.messageId, encrypted: true, payloads: message3.payloads }, `Quick Mode message 3, retransmission ${message3Resends + 1}`),
    // Silence is measured from the latest message 3.
    step === 'unconfirmed' ? { type: 'set-timer', afterMs: context.timing.message3QuietMs } : undefined,
  );
}

/**
 * Message 2 again under our M-ID, but not the bytes we took: the copy we verified was changed on
 * the way where HASH(2) does not reach (the padding in its last cipher block), so our message 3
 * went out under an IV (the last block of what we received, RFC 2409 Appendix B) the gateway
 * does not share, and it could not read it. The gateway's copy, if it verifies, replaces ours
 * and message 3 is rebuilt from it (same nonces, so the same SAs); a bounded number of times.
 */
export function takeGatewaysQuickMode2(context: TunnelStepContext, bytes: Buffer, path: TransportPath, step: 'unconfirmed' | 'established'): StepResult {
  const { quickMode1, message3Resends } = context.quickMode;
  if (!quickMode1) return result({}, received(bytes, path, undefined, `ignored: a Quick Mode message during ${step}`));
  const processed = processQuickMode2(quickMode1, bytes);
  if (!processed.ok) return result({}, received(bytes, path, processed.payloads, `ignored: ${processed.failure.text}`));
  const entry = received(bytes, path, processed.payloads, 'Quick Mode message 2 again, other bytes than the copy we took: HASH(2) verified, message 3 rebuilt from it');
  if (message3Resends >= context.options.maxQuickMode3Resends) {
    if (step === 'established') return result({}, entry);
    const sends = message3Resends + 1;
    return fail({ step, kind: 'quick-mode-unconfirmed', sends, text: `the gateway repeated Quick Mode message 2 after ${sends} sends of message 3` }, entry);
  }
  const built = buildQuickMode3(processed.state);
  return result(
    {
      sa: built.sa,
      quickMode: { ...context.quickMode, message2: Buffer.from(bytes), message3: { bytes: built.bytes, payloads: built.payloads }, espSas: built.espSas, message3Resends: message3Resends + 1 },
    },
    entry,
    sendOf(built.bytes, context.path, { exchangeType: ExchangeType.QUICK_MODE, messageId: quickMode1.messageId, encrypted: true, payloads: built.payloads }, `Quick Mode message 3, rebuilt, send ${message3Resends + 2}`),
    step === 'unconfirmed' ? { type: 'set-timer', afterMs: context.timing.message3QuietMs } : undefined,
  );
}

export function enterUnconfirmed(context: TunnelStepContext): StepResult {
  const wait = context.timing.message3QuietMs;
  return result({}, { type: 'note', text: `unconfirmed: waiting ${wait} ms for ESP from the gateway or its repeated message 2` }, { type: 'set-timer', afterMs: wait });
}

export function confirmBySilence(context: TunnelStepContext): StepResult {
  const note = `no Quick Mode message 2 again within ${context.timing.message3QuietMs} ms: message 3 taken as received`;
  return result({ quickMode: { ...context.quickMode, confirmation: 'quiet-period' } }, { type: 'note', text: note });
}

/** ESP under our inbound SA: the gateway installed the SAs (the packet itself is left to the ESP channel). */
export function confirmByEsp(context: TunnelStepContext, spi: Buffer): StepResult {
  const inbound = context.quickMode.espSas?.inbound.spi;
  if (!inbound?.equals(spi)) return NOTHING;
  return result({ quickMode: { ...context.quickMode, confirmation: 'esp' } }, { type: 'note', text: 'ESP from the gateway: message 3 received' }, { type: 'clear-timer' });
}
