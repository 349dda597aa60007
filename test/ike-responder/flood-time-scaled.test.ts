/**
 * The flood, 60 s time-scaled by 6, in fake time: 200 Aggressive Mode message 1s per
 * second from ten other addresses, each with a fresh cookie and port, while a legitimate client
 * connects 10 times, once a (scaled) second. The responder's half-open times are divided by the same
 * factor, so the flood runs 10 s (2,000 message 1s) through the same regime as 60 s would: the
 * table is full from the first half second on and turns over every half second. Each connect
 * must get message 2 for its first message 1 (its normal schedule, no resend) and be established
 * by its message 3 sent 200 ms later (40 flood datagrams in between); the half-open table never
 * holds more than its 100; no established SA is displaced. In-process (no sockets), so the
 * figures are counts (the over-the-wire version is flood-while-connecting.test.ts, 2 s). Unscaled
 * (TIME_SCALE 1: 12,000 message 1s, one DH each) it passes too, in about 15 s on this machine.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONDER_LIMITS } from '../../src/ike-responder/responder.js';
import { buildAggressive3, processAggressive2 } from '../../src/initiator/index.js';
import { ROUTER, T0, clientMessage1, inbound, newResponder, seedGateway, sends } from './support.js';

const TIME_SCALE = 6;
const FLOOD_PER_SECOND = 200;
const FLOOD_SECONDS = 60 / TIME_SCALE;
const CLIENT_CONNECTS = 10;
const CLIENT_EVERY_MS = (FLOOD_SECONDS * 1_000) / CLIENT_CONNECTS;
const CLIENT_ROUND_TRIP_MS = 200;
const FLOODING_ADDRESSES = 10;

describe(`${FLOOD_PER_SECOND} message 1s per second for 60 s (scaled to ${FLOOD_SECONDS} s) from other addresses`, () => {
  it('a legitimate client connects every time, with its first message 1; the half-open table stays within its bound', () => {
    const limits = {
      halfOpenTimeoutMs: DEFAULT_RESPONDER_LIMITS.halfOpenTimeoutMs / TIME_SCALE,
      halfOpenTimeoutWhenFullMs: DEFAULT_RESPONDER_LIMITS.halfOpenTimeoutWhenFullMs / TIME_SCALE,
    };
    const responder = newResponder([seedGateway({ xauth: { request: false } })], { limits });
    const clientEvery = (CLIENT_EVERY_MS / 1_000) * FLOOD_PER_SECOND;
    const { bytes: floodMessage1 } = clientMessage1({}, 'flood');
    const total = FLOOD_PER_SECOND * FLOOD_SECONDS;
    const spacingMs = 1_000 / FLOOD_PER_SECOND;
    let peakHalfOpen = 0;
    let pending: { at: number; send: () => void }[] = [];
    const clientOutcomes: string[] = [];

    const startClient = (number: number, now: number) => {
      const from = { address: '192.0.2.50', port: 40_000 + number };
      const client = clientMessage1({}, `client-${number}`);
      const answer = sends(responder.receive(inbound(client.bytes, from), now));
      if (answer.length !== 1) return void clientOutcomes.push(`client ${number}: no message 2 for its first message 1`);
      const processed = processAggressive2(client.state, answer[0]!.bytes, { local: from, remote: ROUTER });
      if (!processed.ok) return void clientOutcomes.push(`client ${number}: ${processed.failure.text}`);
      const message3 = buildAggressive3(processed.state, { encrypt: false }).bytes;
      pending.push({
        at: now + CLIENT_ROUND_TRIP_MS,
        send: () => {
          responder.receive(inbound(message3, from), now + CLIENT_ROUND_TRIP_MS);
          const established = responder.isakmpSas().some((sa) => sa.peer.port === from.port && sa.state === 'established');
          clientOutcomes.push(established ? 'established' : `client ${number}: message 3 found no SA`);
        },
      });
    };

    for (let index = 0; index < total; index++) {
      const now = T0 + index * spacingMs;
      for (const due of pending.filter((item) => item.at <= now)) due.send();
      pending = pending.filter((item) => item.at > now);
      if (index % clientEvery === 0) startClient(index / clientEvery, now);
      const datagram = Buffer.from(floodMessage1);
      datagram.writeUInt32BE(index + 1, 4); // a fresh initiator cookie, as a flooder sends
      const from = { address: `203.0.113.${2 + (index % FLOODING_ADDRESSES)}`, port: 1_024 + Math.floor(index / FLOODING_ADDRESSES) };
      responder.receive(inbound(datagram, from), now);
      peakHalfOpen = Math.max(peakHalfOpen, responder.tableSizes().halfOpen);
    }
    for (const due of pending) due.send();

    expect(clientOutcomes).toEqual(Array.from({ length: CLIENT_CONNECTS }, () => 'established'));
    expect(peakHalfOpen).toBe(DEFAULT_RESPONDER_LIMITS.maxHalfOpenSas);
    // The clients' SAs, established, are all still there: half-open traffic never displaced them.
    expect(responder.isakmpSas().filter((sa) => sa.state === 'established')).toHaveLength(CLIENT_CONNECTS);
  }, 60_000);
});
