/**
 * Dead-peer reclamation by rtxlab's idle limit (an option, off by default): peers that vanish
 * without a Delete must not hold the SA table for the 8 hours of their lifetime.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeType, PayloadType } from '../../src/ike/constants.js';
import { encodeEncryptedMessage, encodeMessage, hashPayload } from '../../src/ike/codec/index.js';
import { T0, clientMessage1, connectSeedClient, establish, inbound, logLines, newRemoteAccessResponder, newResponder, seedGateway, sends } from './support.js';

const IDLE_MS = 60_000;

describe('the idle limit', () => {
  it('is off by default: a silent established SA stays until its lifetime', () => {
    const responder = newResponder([seedGateway({ xauth: { request: false } })]);
    establish(responder);
    expect(responder.tick(T0 + 3_600_000)).toEqual([]);
    expect(responder.isakmpSas()).toHaveLength(1);
  });

  it('removes an SA and its IPsec SAs after the limit without IKE or ESP from the peer, and not a moment before', () => {
    const responder = newRemoteAccessResponder(undefined, { limits: { idleLimitMs: IDLE_MS } });
    const { flow } = connectSeedClient(responder);
    flow.quickMode();
    const lastHeard = flow.now;
    expect(responder.nextDeadline()).toBe(lastHeard + IDLE_MS);
    expect(responder.tick(lastHeard + IDLE_MS - 1)).toEqual([]);
    const effects = responder.tick(lastHeard + IDLE_MS);
    expect(logLines(effects)).toEqual(['[IKE] ISAKMP SA with 192.0.2.132 and its IPsec SAs removed: nothing from the peer for 60 s (rtxlab idle limit)', 'IP Tunnel[1] Down', '[IKE] ISAKMP SA with 192.0.2.132 deleted (idle limit)']);
    expect(effects.flatMap((effect) => (effect.kind === 'ipsec-sa-removed' ? [effect.reason] : []))).toEqual(['idle']);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 0, ipsecSaPairs: 0, leases: 0 });
  });

  it('ESP on an IPsec SA made under the SA keeps it alive', () => {
    const responder = newRemoteAccessResponder(undefined, { limits: { idleLimitMs: IDLE_MS } });
    const { flow } = connectSeedClient(responder);
    flow.quickMode();
    const [pair] = responder.ipsecSaPairs();
    responder.espReceived(pair!.inbound.spi, flow.now + 50_000);
    expect(responder.tick(flow.now + IDLE_MS)).toEqual([]);
    expect(responder.nextDeadline()).toBe(flow.now + 50_000 + IDLE_MS);
    expect(responder.isakmpSas()).toHaveLength(1);
  });

  it('only messages that authenticate keep it alive: a forged one with the live cookies does not, the peer\'s DPD does', () => {
    // Found while writing the exchange-state fuzzer: any decodable datagram with the cookies, from
    // any address, used to reset the idle clock.
    const responder = newRemoteAccessResponder(undefined, { limits: { idleLimitMs: IDLE_MS } });
    const { flow } = connectSeedClient(responder);
    const lastHeard = flow.now;
    const cookies = { initiatorCookie: flow.sa.initiatorCookie, responderCookie: flow.sa.responderCookie };
    const inClear = encodeMessage({ ...cookies, exchangeType: ExchangeType.INFORMATIONAL, flags: 0, messageId: 7 }, [hashPayload(Buffer.alloc(20))]);
    const garbage = encodeEncryptedMessage({ ...cookies, exchangeType: ExchangeType.TRANSACTION, flags: 0, messageId: 8 }, PayloadType.HASH, Buffer.alloc(32, 0x5a));
    for (const forged of [inClear, garbage]) responder.receive(inbound(forged, { address: '203.0.113.9', port: 500 }), lastHeard + 50_000);
    expect(responder.nextDeadline()).toBe(lastHeard + IDLE_MS);
    flow.now = lastHeard + 55_000;
    flow.informational([{ kind: 'r-u-there', sequence: 1 }]);
    expect(responder.nextDeadline()).toBe(flow.now + IDLE_MS);
  });

  it('after a table full of abandoned sessions, a new client is refused until the idle limit frees it, then gets in at once', () => {
    const limits = { maxIsakmpSas: 20, maxHalfOpenSas: 20, idleLimitMs: IDLE_MS };
    const responder = newResponder([seedGateway({ xauth: { request: false } })], { limits });
    for (let n = 0; n < 20; n++) establish(responder, { from: { address: `198.51.100.${n + 1}`, port: 500 } });
    const newcomer = { address: '192.0.2.200', port: 500 };
    expect(sends(responder.receive(inbound(clientMessage1().bytes, newcomer), T0 + 1_000))).toEqual([]);
    const reclaimed = responder.tick(T0 + 100 + IDLE_MS);
    expect(logLines(reclaimed).filter((line) => line.includes('rtxlab idle limit'))).toHaveLength(20);
    expect(sends(responder.receive(inbound(clientMessage1().bytes, newcomer), T0 + 100 + IDLE_MS))).toHaveLength(1);
  });
});
