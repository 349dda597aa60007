/**
 * Phase 2 IDs between two routers in one process (Main Mode, fixed addresses): the branch's
 * Quick Mode carries IDci/IDcr from its `ipsec ike local id` / `remote id`, the hub checks them
 * against its own (IDci = its remote id, IDcr = its local id; the check is assumed, see
 * docs/fidelity.md) and refuses others with INVALID-ID-INFORMATION.
 */
import { describe, expect, it } from 'vitest';
import { BRANCH_LAN, HUB_LAN, branchConfig, hubConfig } from '../ike-initiator/support/site-to-site-configs.js';
import { routersInProcess } from './support/routers-in-process.js';

const HUB = '127.20.19.2';
const BRANCH = '127.20.19.3';
const PORTS = { ikePort: 26_800, nattPort: 26_750 } as const;
const ADDRESSES = { hubAddress: HUB, branchAddress: BRANCH, exchange: 'main' as const };
const HUB_NET = { kind: 'ipv4-subnet', address: '192.168.1.0', netmask: '255.255.255.0' };
const BRANCH_NET = { kind: 'ipv4-subnet', address: '192.168.2.0', netmask: '255.255.255.0' };

const start = routersInProcess(PORTS);

/** The hub's config with Phase 2 ID lines in its tunnel. */
const hubWith = (lines: readonly string[]) => hubConfig(ADDRESSES).replace(' tunnel enable 1', [...lines.map((line) => `  ${line}`), ' tunnel enable 1'].join('\n'));
const branchWith = (lines: readonly string[]) => branchConfig({ ...ADDRESSES, branchExtra: lines });

describe('Phase 2 IDs from ipsec ike local id / remote id (two routers, Main Mode)', () => {
  it("the branch sends its LAN as IDci and the hub's as IDcr; the hub, whose IDs match, takes them and the LANs ping", async () => {
    const hub = await start(hubWith(['ipsec ike local id 1 192.168.1.0/24', 'ipsec ike remote id 1 192.168.2.0/24']), HUB);
    const hubUp = hub.waitFor('tunnel-up');
    const branch = await start(branchWith(['ipsec ike local id 1 192.168.2.0/24', 'ipsec ike remote id 1 192.168.1.0/24']), BRANCH);
    await branch.waitFor('tunnel-up');
    await hubUp;
    // What the hub received (IDci, IDcr) is what the branch's config names.
    expect(hub.ipsecState().ipsecSas.map((row) => [row.direction, row.initiatorIdentity, row.responderIdentity])).toEqual([
      ['recv', BRANCH_NET, HUB_NET],
      ['send', BRANCH_NET, HUB_NET],
    ]);
    expect(branch.ipsecState().ipsecSas[0]).toMatchObject({ initiatorIdentity: BRANCH_NET, responderIdentity: HUB_NET });
    const result = await branch.ping({ host: HUB_LAN, source: BRANCH_LAN, count: 1 });
    expect(result.replies.map((reply) => reply.from)).toEqual([HUB_LAN]);
  });

  it('the hub refuses IDs that are not its remote id / local id, and no tunnel comes up', async () => {
    const hub = await start(hubWith(['ipsec ike local id 1 192.168.1.0/24', 'ipsec ike remote id 1 192.168.3.0/24']), HUB);
    const refused = hub.waitFor('log', (event) => event.entry.message.includes('invalid ID information'), 5_000);
    await start(branchWith(['ipsec ike local id 1 192.168.2.0/24', 'ipsec ike remote id 1 192.168.1.0/24']), BRANCH);
    const line = (await refused).entry.message;
    expect(line).toBe(`[IKE] IPsec phase with ${BRANCH} refused: invalid ID information: IDci 192.168.2.0/255.255.255.0 is not ipsec ike remote id 192.168.3.0/255.255.255.0`);
    expect(hub.ipsecState().ipsecSas).toEqual([]);
    expect(hub.tunnels()).toEqual([expect.objectContaining({ tunnelId: 1, up: false })]);
  });

  it('without local id / remote id neither side sends IDs (as before)', async () => {
    const hub = await start(hubConfig(ADDRESSES), HUB);
    const hubUp = hub.waitFor('tunnel-up');
    await start(branchConfig(ADDRESSES), BRANCH);
    await hubUp;
    expect(hub.ipsecState().ipsecSas.every((row) => row.initiatorIdentity === undefined && row.responderIdentity === undefined)).toBe(true);
  });
});
