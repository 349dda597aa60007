import { afterAll, expect, it } from 'vitest';
import { startRtxRouter } from 'rtxlab';

// After Yamaha's site-to-site examples: the branch initiates Aggressive Mode by name.
const tunnel = (lines: string[]) => ['tunnel select 1', ' ipsec tunnel 101', '  ipsec sa policy 101 1 esp 3des-cbc sha-hmac',
  '  ipsec ike pre-shared-key 1 text secret', '  ipsec ike nat-traversal 1 on force=on', ...lines, ' tunnel enable 1'];
const hubText = ['ip lan1 address 192.168.1.1/24', 'ip route 192.168.2.0/24 gateway tunnel 1',
  ...tunnel(['  ipsec ike remote address 1 any', '  ipsec ike remote name 1 branch1'])].join('\n');
const branchText = ['ip lan1 address 192.168.2.1/24', 'ip route 192.168.1.0/24 gateway tunnel 1',
  ...tunnel(['  ipsec ike local name 1 branch1', '  ipsec ike remote address 1 127.20.18.2']), 'ipsec auto refresh on'].join('\n');

// Same ports on two loopback addresses: rtxlab routers send to the ports they listen on.
const ports = { ikePort: 25_700, nattPort: 25_650 };
const hub = await startRtxRouter({ config: { text: hubText }, bind: '127.20.18.2', ...ports });
const hubUp = hub.waitFor('tunnel-up'); // registered before the branch starts: it cannot be missed
const branch = await startRtxRouter({ config: { text: branchText }, bind: '127.20.18.3', ...ports });
afterAll(() => Promise.all([branch.stop(), hub.stop()]));

it('the branch brings the tunnel up by itself and pings the hub LAN to LAN', async () => {
  expect((await hubUp).peer.address).toBe('127.20.18.3');
  const result = await branch.ping({ host: '192.168.1.1', source: '192.168.2.1', count: 2 });
  expect(result.replies.map((reply) => reply.from)).toEqual(['192.168.1.1', '192.168.1.1']);
});
