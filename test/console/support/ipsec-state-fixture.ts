/**
 * One connected remote-access client as `show ipsec sa` sees it: ISAKMP SA 1 from 192.0.2.10,
 * ESP SAs 2 (recv) and 3 (send) on tunnel 1, 10.1.1.110 leased to user1.
 */
import type { IpsecState, IsakmpSaRow, IpsecSaRow } from '../../../src/ike-responder/ipsec-state.js';

const peer = { address: '192.0.2.10', port: 4500 };
const t0 = Date.UTC(2026, 11, 5, 0, 0, 0);

export const ISAKMP_SA: IsakmpSaRow = {
  number: 1,
  gatewayId: 1,
  peer,
  localAddress: '172.16.0.254',
  establishedAt: t0,
  durationSeconds: 120,
  expiresAt: t0 + 28_800_000,
  lifeRemainingSeconds: 28680,
  cipher: '3des-cbc',
  hash: 'sha1',
  group: 2,
  spi: Buffer.from('6bcefd8ad5309b020cf387524a876e77', 'hex'),
  xauth: 'authenticated',
  xauthUser: 'user1',
  internalAddress: '10.1.1.110',
};

const esp = (number: number, direction: 'send' | 'recv', spi: string): IpsecSaRow => ({
  number,
  gatewayId: 1,
  tunnelId: 1,
  isakmpSaNumber: 1,
  direction,
  protocol: 'esp',
  mode: 'udp-encapsulated-tunnel',
  encryption: '3des-cbc',
  integrity: 'hmac-sha1-96',
  spi: Buffer.from(spi, 'hex'),
  peer,
  establishedAt: t0 + 5000,
  durationSeconds: 115,
  expiresAt: t0 + 3_605_000,
  lifeRemainingSeconds: 3485,
});

export const ONE_CLIENT: IpsecState = {
  totals: { isakmp: 1, send: 1, recv: 1 },
  isakmpSas: [ISAKMP_SA],
  ipsecSas: [esp(2, 'recv', 'a6674747'), esp(3, 'send', 'c0ffee01')],
  tunnels: [{ tunnelId: 1, gatewayId: 1, up: true, upSince: t0 + 5000, durationSeconds: 115, peerAddress: '192.0.2.10' }],
};
