/**
 * Both ends with `ipsec auto refresh on` (assumed, docs/fidelity.md §8): a gateway whose tunnel
 * already has SAs the peer's exchange made starts nothing of its own, and drops its own Phase 1
 * still unanswered; with SAs of its own it goes on as before.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { initiatingPolicyFromConfig } from '../../src/ike-initiator/initiating-policy.js';
import { RtxIkeInitiator } from '../../src/ike-initiator/initiator.js';
import { BRANCH_ADDRESS, HUB_ADDRESS } from './support/exchange-pump.js';
import { branchConfig } from './support/site-to-site-configs.js';

const SOCKETS = { ike: { address: BRANCH_ADDRESS, port: 500 }, natt: { address: BRANCH_ADDRESS, port: 4500 }, peerIkePort: 500, peerNattPort: 4500 };
const T0 = Date.UTC(2026, 0, 1);
const policy = () => initiatingPolicyFromConfig(readConfig(branchConfig({ hubAddress: HUB_ADDRESS, branchAddress: BRANCH_ADDRESS, exchange: 'main' })).model);
const sends = (effects: readonly { kind: string }[]) => effects.filter((effect) => effect.kind === 'send');

describe("auto refresh on a tunnel the peer's SAs already serve", () => {
  it('starts no exchange while the peer-made SAs are there, and starts once they are gone', () => {
    let peerSas = true;
    const initiator = new RtxIkeInitiator(policy(), { peerMadeSas: (tunnelId) => tunnelId === 1 && peerSas });
    expect(sends(initiator.start(SOCKETS, T0))).toEqual([]);
    expect(sends(initiator.tick(T0 + 60_000))).toEqual([]);
    peerSas = false;
    const effects = initiator.tick(T0 + 65_000);
    expect(sends(effects)).toHaveLength(1);
    expect(effects).toContainEqual({ kind: 'log', level: 'info', message: `[IKE] initiate ISAKMP phase to ${HUB_ADDRESS} (local address ${BRANCH_ADDRESS})` });
  });

  it("drops its own Phase 1 still unanswered once the peer's exchange gave the tunnel SAs: no resend", () => {
    let peerSas = false;
    const initiator = new RtxIkeInitiator(policy(), { peerMadeSas: () => peerSas });
    expect(sends(initiator.start(SOCKETS, T0))).toHaveLength(1);
    // Without the peer's SAs the first message goes again after the retry interval (5 s)...
    expect(sends(initiator.tick(T0 + 5_000))).toHaveLength(1);
    // ...with them it does not, and nothing is pending any more.
    peerSas = true;
    expect(sends(initiator.tick(T0 + 10_000))).toEqual([]);
    expect(initiator.nextDeadline()).toBeUndefined();
  });
});
