/** `mergeIpsecStates`: the responder's picture and the initiator's rows in one `show ipsec sa` / `show status tunnel`. */
import { describe, expect, it } from 'vitest';
import type { IpsecState } from '../../src/ike-responder/ipsec-state.js';
import { mergeIpsecStates, type InitiatorStateRows } from '../../src/ike-initiator/state-rows.js';

const T0 = Date.UTC(2026, 0, 1);
const responderOnly: IpsecState = {
  totals: { isakmp: 1, send: 1, recv: 1 },
  isakmpSas: [{ number: 2 } as IpsecState['isakmpSas'][number]],
  ipsecSas: [{ number: 5, direction: 'recv' } as IpsecState['ipsecSas'][number], { number: 6, direction: 'send' } as IpsecState['ipsecSas'][number]],
  tunnels: [
    { tunnelId: 1, gatewayId: 1, up: true, upSince: T0 + 5_000, durationSeconds: 95, peerAddress: '192.0.2.9' },
    { tunnelId: 2, gatewayId: 2, up: false },
  ],
};
const initiated: InitiatorStateRows = {
  isakmpSas: [{ number: 1 } as InitiatorStateRows['isakmpSas'][number]],
  ipsecSas: [{ number: 3, direction: 'send' } as InitiatorStateRows['ipsecSas'][number], { number: 4, direction: 'recv' } as InitiatorStateRows['ipsecSas'][number]],
  upTunnels: [
    { tunnelId: 1, upSince: T0, peerAddress: '192.0.2.9' },
    { tunnelId: 2, upSince: T0 + 40_000, peerAddress: '198.51.100.7' },
  ],
  pairs: 1,
};

describe('mergeIpsecStates', () => {
  it('sums the totals and lists every row by SA number', () => {
    const merged = mergeIpsecStates(responderOnly, initiated, T0 + 100_000);
    expect(merged.totals).toEqual({ isakmp: 2, send: 2, recv: 2 });
    expect(merged.isakmpSas.map((row) => row.number)).toEqual([1, 2]);
    expect(merged.ipsecSas.map((row) => row.number)).toEqual([3, 4, 5, 6]);
  });

  it('a tunnel is online while either role has a pair on it, since the earlier of the two', () => {
    const merged = mergeIpsecStates(responderOnly, initiated, T0 + 100_000);
    expect(merged.tunnels).toEqual([
      { tunnelId: 1, gatewayId: 1, up: true, upSince: T0, durationSeconds: 100, peerAddress: '192.0.2.9' },
      { tunnelId: 2, gatewayId: 2, up: true, upSince: T0 + 40_000, durationSeconds: 60, peerAddress: '198.51.100.7' },
    ]);
    const none = mergeIpsecStates(responderOnly, { isakmpSas: [], ipsecSas: [], upTunnels: [], pairs: 0 }, T0 + 100_000);
    expect(none).toEqual(responderOnly);
  });
});
