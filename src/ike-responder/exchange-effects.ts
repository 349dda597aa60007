/**
 * What the exchange machines after Phase 1 (XAUTH, mode-cfg, Quick Mode) share: where a message
 * goes, the effects of sending one (with its `ipsec ike log` debug lines), and a memo so that the
 * guards and actions of one transition read an event once.
 */
import { decodeHeader, type IsakmpHeader, type Payload } from '../ike/codec/index.js';
import { messageDebugLines } from './debug-log.js';
import { messageEvent } from './message-event.js';
import type { Endpoint, ResponderEffect } from './port.js';
import type { IkeLogOptions } from './policy.js';

/** Where and when a datagram arrived. */
export interface Arrival {
  readonly from: Endpoint;
  readonly local: Endpoint;
  readonly natTraversal: boolean;
  readonly now: number;
}

/** Where a message goes: the router sends from `from` (its IKE or NAT-T socket) to `to`. */
export interface SendPath {
  readonly to: Endpoint;
  readonly from: Endpoint;
  readonly natTraversal: boolean;
}

/** Back the way a datagram came. */
export const replyPath = (arrival: Arrival): SendPath => ({ to: arrival.from, from: arrival.local, natTraversal: arrival.natTraversal });

/** `syslog debug on` and the gateway's `ipsec ike log` types. */
export interface DebugSettings {
  readonly syslogDebug: boolean;
  readonly log: IkeLogOptions;
}

/** A send effect with its message-info/payload-info lines. */
export function sendEffects(debug: DebugSettings, bytes: Buffer, payloads: readonly Payload[], path: SendPath): ResponderEffect[] {
  const header = decodeHeader(bytes);
  const lines = header.ok ? [messageEvent('send', path.to, header.value, payloads), ...messageDebugLines(debug.log, debug.syslogDebug, 'send', path.to, header.value, payloads)] : [];
  return [...lines, { kind: 'send', bytes, ...path }];
}

/** The `ike-message` event and debug lines of a received message (payloads once decrypted). */
export function receivedLines(debug: DebugSettings, peer: Endpoint, header: IsakmpHeader, payloads?: readonly Payload[]): ResponderEffect[] {
  return [messageEvent('receive', peer, header, payloads), ...messageDebugLines(debug.log, debug.syslogDebug, 'receive', peer, header, payloads)];
}

/** What the exchange machines emit: effects for the router, in order. */
export interface EffectEmitted {
  readonly type: 'effect';
  readonly effect: ResponderEffect;
}

/** Emits the effects; DEBUG lines only under `syslog debug on` (the RTX produces none without it). */
export function emitEffects(enqueue: { emit: (event: EffectEmitted) => void }, debug: DebugSettings, effects: readonly ResponderEffect[]): void {
  for (const effect of effects) {
    if (effect.kind === 'log' && effect.level === 'debug' && !debug.syslogDebug) continue;
    enqueue.emit({ type: 'effect', effect });
  }
}

/**
 * A reading of an event, computed once and shared by the guards and actions of its transition
 * (actions after an `assign` see a newer context, but must act on what the guards saw). Keyed by
 * the event object and by `owner`, an object that identifies the exchange (its chains at the time).
 */
export function memoByEvent<C, E extends object, R>(owner: (context: C) => object, compute: (context: C, event: E) => R): (context: C, event: E) => R {
  const cache = new WeakMap<E, { owner: object; value: R }>();
  return (context, event) => {
    const key = owner(context);
    const hit = cache.get(event);
    if (hit && hit.owner === key) return hit.value;
    const value = compute(context, event);
    cache.set(event, { owner: key, value });
    return value;
  };
}

/**
 * Retransmission of a message we started an exchange with. The RTX's own schedule for XAUTH and
 * mode-cfg was NOT FOUND; rtxlab uses the current reference's `ipsec ike retry` default, 10
 * retransmissions 5 s apart (ASSUMED), then gives up.
 */
export interface RetransmitSchedule {
  readonly intervalMs: number;
  readonly retransmissions: number;
}

export const RTX_RETRANSMIT_SCHEDULE: RetransmitSchedule = { intervalMs: 5_000, retransmissions: 10 };

/** The last message sent in an exchange we started, and when it goes again. */
export interface Outstanding {
  readonly bytes: Buffer;
  readonly payloads: readonly Payload[];
  readonly path: SendPath;
  readonly sentAt: number;
  /** Retransmissions so far (0 after the first send). */
  readonly retransmitted: number;
}

/** When `tick` must next look at an outstanding message: its retransmission or its give-up time. */
export function outstandingDeadline(outstanding: Outstanding, schedule: RetransmitSchedule): number {
  return outstanding.sentAt + schedule.intervalMs;
}

export function retransmissionsExhausted(outstanding: Outstanding, schedule: RetransmitSchedule): boolean {
  return outstanding.retransmitted >= schedule.retransmissions;
}
