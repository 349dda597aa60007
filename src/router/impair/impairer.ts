/**
 * The `--impair` rules at work on the router's IKE datagrams: reads each datagram's header,
 * counts its ordinal (per ISAKMP SA, exchange type and direction), asks impair-decision.ts what
 * to do and says which copies to deliver or send, when. The router calls it on its one receive
 * path and its one send path (router.ts); nothing else changes when no rule is given.
 */
import { decodeHeader } from '../../ike/codec/index.js';
import { deliveriesUnder, impairActions, impairExchangeOf, type ImpairedDelivery } from './impair-decision.js';
import type { ImpairDirection, ImpairRule } from './impair-rule.js';

/** Ordinal counters kept at most (one per ISAKMP SA, exchange type and direction); the oldest go first. */
const MAX_COUNTERS = 8192;

export interface InboundImpairment {
  readonly deliveries: readonly ImpairedDelivery[];
  /** The router's sends in answer to this datagram go out twice (`answer-twice`). */
  readonly answerTwice: boolean;
}

export class Impairer {
  private readonly ordinals = new Map<string, number>();
  /** The last responder cookie the router sent, and the one before it: a stale cookie's source. */
  private recentResponderCookies: Buffer[] = [];

  constructor(private readonly rules: readonly ImpairRule[]) {}

  /** Whether any rule acts on the wire (`withhold-mode-cfg-set` does not). */
  static actsOnTheWire(rules: readonly ImpairRule[]): boolean {
    return rules.some((rule) => rule.kind !== 'withhold-mode-cfg-set');
  }

  inbound(bytes: Buffer): InboundImpairment {
    const { actions, copies } = this.impair('in', bytes);
    return { deliveries: copies, answerTwice: actions.some((action) => action.kind === 'answer-twice') };
  }

  outbound(bytes: Buffer): readonly ImpairedDelivery[] {
    return this.impair('out', bytes).copies;
  }

  private impair(direction: ImpairDirection, bytes: Buffer) {
    const header = decodeHeader(bytes);
    // Not IKE as far as the header goes: the responder will drop it; no rule names it.
    if (!header.ok) return { actions: [], copies: [{ bytes, delayMs: 0 }] };
    const { initiatorCookie, responderCookie, exchangeType, messageId } = header.value;
    if (direction === 'out') this.rememberResponderCookie(responderCookie);
    const exchange = impairExchangeOf(exchangeType);
    if (exchange === undefined) return { actions: [], copies: [{ bytes, delayMs: 0 }] };
    const ordinal = this.nextOrdinal(`${initiatorCookie.toString('hex')}|${exchangeType}|${direction}`);
    const actions = impairActions(this.rules, { direction, exchange, messageId, ordinal });
    const copies = actions.length === 0 ? [{ bytes, delayMs: 0 }] : deliveriesUnder(actions, bytes, () => this.staleCookieFor(responderCookie));
    return { actions, copies };
  }

  private nextOrdinal(key: string): number {
    const ordinal = (this.ordinals.get(key) ?? 0) + 1;
    this.ordinals.delete(key); // re-inserted last: the map stays in order of last use
    this.ordinals.set(key, ordinal);
    if (this.ordinals.size > MAX_COUNTERS) this.ordinals.delete(this.ordinals.keys().next().value!);
    return ordinal;
  }

  private rememberResponderCookie(cookie: Buffer): void {
    if (cookie.every((byte) => byte === 0) || this.recentResponderCookies.some((known) => known.equals(cookie))) return;
    this.recentResponderCookies = [Buffer.from(cookie), ...this.recentResponderCookies].slice(0, 2);
  }

  /** An earlier ISAKMP SA's responder cookie; before there was one, this cookie with every bit inverted. */
  private staleCookieFor(current: Buffer): Buffer {
    return this.recentResponderCookies.find((known) => !known.equals(current)) ?? Buffer.from(current.map((byte) => byte ^ 0xff));
  }
}
