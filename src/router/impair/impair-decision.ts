/**
 * What the `--impair` rules do to one datagram (pure): given its direction, exchange, M-ID and
 * ordinal (its place among the datagrams of that exchange type and direction under one ISAKMP
 * SA), the actions to take. The router counts ordinals and performs the actions (impairer.ts).
 */
import { ExchangeType } from '../../ike/constants.js';
import type { ImpairDirection, ImpairExchange, ImpairOrdinal, ImpairRule } from './impair-rule.js';

/** One IKE datagram as the rules see it. */
export interface ImpairedDatagram {
  readonly direction: ImpairDirection;
  /** Undefined for exchange types no rule can name (Main Mode, ...): never impaired. */
  readonly exchange: ImpairExchange | undefined;
  /** Carried for rules that would name one exchange instance; no rule form does yet. */
  readonly messageId: number;
  /** 1 for the first datagram of its exchange type and direction under its ISAKMP SA. */
  readonly ordinal: number;
}

export type ImpairAction =
  | { readonly kind: 'drop' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'delay'; readonly delayMs: number }
  | { readonly kind: 'stale-cookie' }
  | { readonly kind: 'answer-twice' };

/** The exchange a rule calls an ISAKMP exchange type by, if any. */
export function impairExchangeOf(exchangeType: number): ImpairExchange | undefined {
  switch (exchangeType) {
    case ExchangeType.AGGRESSIVE:
      return 'aggressive';
    case ExchangeType.TRANSACTION:
      return 'transaction';
    case ExchangeType.QUICK_MODE:
      return 'quick';
    case ExchangeType.INFORMATIONAL:
      return 'informational';
    default:
      return undefined;
  }
}

function ordinalMatches(ordinal: ImpairOrdinal, actual: number): boolean {
  return ordinal.andLater ? actual >= ordinal.nth : actual === ordinal.nth;
}

/** Every action of every rule that names this datagram, in the rules' order. */
export function impairActions(rules: readonly ImpairRule[], datagram: ImpairedDatagram): ImpairAction[] {
  if (datagram.exchange === undefined) return [];
  const actions: ImpairAction[] = [];
  for (const rule of rules) {
    if (rule.kind === 'withhold-mode-cfg-set') continue; // the responder's, not the wire's
    const { target } = rule;
    if (target.direction !== datagram.direction || target.exchange !== datagram.exchange || !ordinalMatches(target.ordinal, datagram.ordinal)) continue;
    actions.push(rule.kind === 'delay' ? { kind: 'delay', delayMs: rule.delayMs } : { kind: rule.kind });
  }
  return actions;
}

/** One copy of a datagram to deliver (in) or send (out), after `delayMs`. */
export interface ImpairedDelivery {
  readonly bytes: Buffer;
  readonly delayMs: number;
}

/**
 * What becomes of the datagram under `actions`: a drop wins over everything; otherwise the bytes
 * are changed (corrupt, stale cookie), held back (the longest delay) and sent once or twice.
 * `staleCookie` is the responder cookie to put in its place.
 */
export function deliveriesUnder(actions: readonly ImpairAction[], bytes: Buffer, staleCookie: () => Buffer): ImpairedDelivery[] {
  if (actions.some((action) => action.kind === 'drop')) return [];
  let impaired = bytes;
  if (actions.some((action) => action.kind === 'stale-cookie')) impaired = withResponderCookie(impaired, staleCookie());
  if (actions.some((action) => action.kind === 'corrupt')) impaired = withLastByteInverted(impaired);
  const delayMs = Math.max(0, ...actions.map((action) => (action.kind === 'delay' ? action.delayMs : 0)));
  const copies = actions.some((action) => action.kind === 'duplicate') ? 2 : 1;
  return Array.from({ length: copies }, () => ({ bytes: impaired, delayMs }));
}

/**
 * The last byte inverted: in a message in clear it changes the last payload (a NAT-D hash, a
 * vendor ID); in an encrypted one the last cipher block, so its padding or HASH no longer check.
 */
export function withLastByteInverted(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length > 0) copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
  return copy;
}

/** The ISAKMP header's responder cookie (bytes 8-15) replaced. */
export function withResponderCookie(bytes: Buffer, cookie: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length >= 16) cookie.copy(copy, 8, 0, 8);
  return copy;
}
