import type { Endpoint } from './port.js';

/**
 * The responder's ISAKMP SAs: found by their cookie pair, and (while half-open) by the
 * initiator cookie and the peer's address and port, so that a repeated message 1 (R-cookie
 * still zero) reaches the SA that answered it. Holds whatever the responder keeps per SA (`T`).
 */
export class IsakmpSaTable<T> {
  private readonly byCookies = new Map<string, T>();
  /** Message 1 key -> cookies key and the peer; insertion order is the order they were opened. */
  private readonly halfOpenByMessage1 = new Map<string, { readonly cookies: string; readonly peer: Endpoint }>();

  get size(): number {
    return this.byCookies.size;
  }

  /** SAs still waiting for message 3. */
  get halfOpenCount(): number {
    return this.halfOpenByMessage1.size;
  }

  values(): IterableIterator<T> {
    return this.byCookies.values();
  }

  findByCookies(initiatorCookie: Buffer, responderCookie: Buffer): T | undefined {
    return this.byCookies.get(cookiesKey(initiatorCookie, responderCookie));
  }

  findHalfOpen(initiatorCookie: Buffer, peer: Endpoint): T | undefined {
    const halfOpen = this.halfOpenByMessage1.get(message1Key(initiatorCookie, peer));
    return halfOpen === undefined ? undefined : this.byCookies.get(halfOpen.cookies);
  }

  /** The half-open SAs, oldest first, with the endpoint each message 1 came from. */
  halfOpenEntries(): { entry: T; peer: Endpoint }[] {
    return [...this.halfOpenByMessage1.values()].flatMap(({ cookies, peer }) => {
      const entry = this.byCookies.get(cookies);
      return entry === undefined ? [] : [{ entry, peer }];
    });
  }

  addHalfOpen(initiatorCookie: Buffer, responderCookie: Buffer, peer: Endpoint, entry: T): void {
    const key = cookiesKey(initiatorCookie, responderCookie);
    this.byCookies.set(key, entry);
    this.halfOpenByMessage1.set(message1Key(initiatorCookie, peer), { cookies: key, peer });
  }

  /** Message 3 arrived: a message 1 with these cookies is no longer a retransmission. */
  markEstablished(initiatorCookie: Buffer, peer: Endpoint): void {
    this.halfOpenByMessage1.delete(message1Key(initiatorCookie, peer));
  }

  remove(initiatorCookie: Buffer, responderCookie: Buffer, peer: Endpoint): void {
    const key = cookiesKey(initiatorCookie, responderCookie);
    this.byCookies.delete(key);
    const halfOpenKey = message1Key(initiatorCookie, peer);
    if (this.halfOpenByMessage1.get(halfOpenKey)?.cookies === key) this.halfOpenByMessage1.delete(halfOpenKey);
  }
}

function cookiesKey(initiatorCookie: Buffer, responderCookie: Buffer): string {
  return `${initiatorCookie.toString('hex')}/${responderCookie.toString('hex')}`;
}

function message1Key(initiatorCookie: Buffer, peer: Endpoint): string {
  return `${initiatorCookie.toString('hex')}@${peer.address}:${peer.port}`;
}
