import { describe, expect, it } from 'vitest';
import { SaEntryIndex } from '../../src/ike-responder/sa-entry-index.js';

interface Sa {
  readonly name: string;
  readonly order: number;
}

describe('the ISAKMP SA index', () => {
  const older: Sa = { name: 'older', order: 1 };
  const newer: Sa = { name: 'newer', order: 2 };

  it('finds SAs by number, gateway, tunnel and peer address, in the order they were made even when re-filed', () => {
    const index = new SaEntryIndex<Sa>((sa) => sa.order);
    index.index(newer, { number: undefined, gatewayId: 1, tunnelId: 1, peerAddress: '192.0.2.1' });
    index.index(older, { number: undefined, gatewayId: 1, tunnelId: 1, peerAddress: '192.0.2.1' });
    // Established: the number comes, the SA is filed again.
    index.index(newer, { number: 3, gatewayId: 1, tunnelId: 1, peerAddress: '192.0.2.1' });
    expect(index.withNumber(3)).toBe(newer);
    expect(index.onGateway(1)).toEqual([older, newer]);
    expect(index.onTunnel(1)).toEqual([older, newer]);
    expect(index.withPeerAddress('192.0.2.1')).toEqual([older, newer]);
    expect(index.onGateway(2)).toEqual([]);
  });

  it('forgets a removed SA under every key, and a re-filed one under its old keys', () => {
    const index = new SaEntryIndex<Sa>((sa) => sa.order);
    index.index(older, { number: 1, gatewayId: 1, tunnelId: 1, peerAddress: '192.0.2.1' });
    index.index(older, { number: 1, gatewayId: 2, tunnelId: 2, peerAddress: '192.0.2.9' });
    expect(index.onGateway(1)).toEqual([]);
    expect(index.withPeerAddress('192.0.2.1')).toEqual([]);
    expect(index.onTunnel(2)).toEqual([older]);
    index.remove(older);
    expect(index.withNumber(1)).toBeUndefined();
    expect(index.onGateway(2)).toEqual([]);
    expect(index.withPeerAddress('192.0.2.9')).toEqual([]);
  });
});
