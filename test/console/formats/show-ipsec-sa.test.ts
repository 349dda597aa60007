/**
 * `show ipsec sa` laid out as the real RTX output in rtx-behaviour.md §5.2: the totals line, the
 * table's header and rule, the columns of each row, `tun[001]esp`, the gateway form and the
 * detail blocks with SPIs as spaced hex and masked keys.
 */
import { describe, expect, it } from 'vitest';
import { showIpsecSa } from '../../../src/console/formats/show-ipsec-sa.js';
import { ONE_CLIENT } from '../support/ipsec-state-fixture.js';

describe('show ipsec sa', () => {
  it('prints the totals and one row per SA in the real column layout', () => {
    expect(showIpsecSa(ONE_CLIENT, { detail: false })).toEqual([
      'Total: isakmp:1 send:1 recv:1',
      '',
      'sa   sgw isakmp connection   dir  life[s] remote-id',
      '-----------------------------------------------------------------------------',
      '1     1    -    isakmp       -    28680   192.0.2.10',
      '2     1    1    tun[001]esp  recv 3485    192.0.2.10',
      '3     1    1    tun[001]esp  send 3485    192.0.2.10',
    ]);
  });

  it('prints only the header with no SAs', () => {
    expect(showIpsecSa({ totals: { isakmp: 0, send: 0, recv: 0 }, isakmpSas: [], ipsecSas: [], tunnels: [] }, { detail: false })).toHaveLength(4);
  });

  it('gateway N: the per-gateway summary row', () => {
    expect(showIpsecSa(ONE_CLIENT, { gateway: 1, detail: false })).toEqual([
      'sgw  flags local-id                      remote-id        # of sa',
      '--------------------------------------------------------------------------',
      '1    U     172.16.0.254                  192.0.2.10       i:1 s:1 r:1',
    ]);
    expect(showIpsecSa(ONE_CLIENT, { gateway: 2, detail: false })[2]).toBe(
      '2    -     -                             -                i:0 s:0 r:0',
    );
  });

  it('detail: one block per SA, IKE SPI as the cookie pair, keys masked', () => {
    const lines = showIpsecSa(ONE_CLIENT, { gateway: 1, detail: true });
    expect(lines.slice(0, 11)).toEqual([
      'SA[1] Duration: 120s',
      'Local ID: 172.16.0.254',
      'Remote ID: 192.0.2.10',
      'Protocol: IKE',
      'Algorithm: 3DES-CBC, SHA-1, MODP 1024bit',
      'XAUTH User: user1',
      'Internal IP Address: 10.1.1.110',
      '',
      'SPI: 6b ce fd 8a d5 30 9b 02 0c f3 87 52 4a 87 6e 77 ',
      'Key: ** ** ** ** **  (confidential)   ** ** ** ** **',
      '----------------------------------------------------',
    ]);
    expect(lines).toContain('Direction: recv');
    expect(lines).toContain('Algorithm: 3DES-CBC (for Auth.: HMAC-SHA)');
    expect(lines).toContain('SPI: a6 67 47 47 ');
    expect(lines.filter((l) => l.startsWith('SA['))).toEqual(['SA[1] Duration: 120s', 'SA[2] Duration: 115s', 'SA[3] Duration: 115s']);
  });
});
