import { describe, expect, it } from 'vitest';
import { IdType } from '../../src/ike/constants.js';
import { idString, selectGateway, selectMainModeGateway } from '../../src/ike-responder/peer-selection.js';
import { gatewayPolicy } from '../../src/ike-responder/policy.js';

const id = (idType: number, data: Buffer | string) => ({ idType, data: typeof data === 'string' ? Buffer.from(data) : data });
const byName = (gatewayId: number, remoteName: string, enabled = true) =>
  gatewayPolicy(gatewayId, { enabled, remoteAddress: { kind: 'any' }, remoteName });

describe('the ID string compared with `ipsec ike remote name`', () => {
  it('is the name itself for FQDN, USER_FQDN and KEY_ID alike', () => {
    expect(idString(id(IdType.FQDN, 'myid'))).toBe('myid');
    expect(idString(id(IdType.USER_FQDN, 'myid'))).toBe('myid');
    expect(idString(id(IdType.KEY_ID, 'myid'))).toBe('myid');
  });

  it('is the usual text of an address ID', () => {
    expect(idString(id(IdType.IPV4_ADDR, Buffer.of(192, 0, 2, 132)))).toBe('192.0.2.132');
  });

  it('falls back to the bytes when an address ID has the wrong length', () => {
    expect(idString(id(IdType.IPV4_ADDR, 'abc'))).toBe('abc');
  });
});

describe('gateway selection (remote address any + remote name, or remote address IP)', () => {
  it('selects the `any` gateway whose remote name equals the ID string, whatever the ID type', () => {
    const gateways = [byName(1, 'alice'), byName(2, 'myid')];
    for (const idType of [IdType.FQDN, IdType.USER_FQDN, IdType.KEY_ID]) {
      const selection = selectGateway(gateways, id(idType, 'myid'), '192.0.2.132');
      expect(selection).toMatchObject({ kind: 'selected', matchedBy: 'remote-name', gateway: { gatewayId: 2 } });
    }
  });

  it('compares names exactly: case and trailing characters matter', () => {
    const gateways = [byName(1, 'myid')];
    expect(selectGateway(gateways, id(IdType.FQDN, 'MYID'), '192.0.2.132')).toEqual({ kind: 'unknown-peer', idText: 'MYID' });
    expect(selectGateway(gateways, id(IdType.FQDN, 'myid2'), '192.0.2.132').kind).toBe('unknown-peer');
  });

  it('selects a gateway with `remote address IP` by the source address, before any name match', () => {
    const fixed = gatewayPolicy(5, { enabled: true, remoteAddress: { kind: 'ip', address: '192.0.2.132' } });
    const selection = selectGateway([byName(1, 'myid'), fixed], id(IdType.FQDN, 'myid'), '192.0.2.132');
    expect(selection).toMatchObject({ kind: 'selected', matchedBy: 'remote-address', gateway: { gatewayId: 5 } });
    expect(selectGateway([fixed], id(IdType.FQDN, 'myid'), '192.0.2.133').kind).toBe('unknown-peer');
  });

  it('ignores disabled gateways, gateways without a remote address and host names', () => {
    const gateways = [
      byName(1, 'myid', false),
      gatewayPolicy(2, { enabled: true, remoteName: 'myid' }),
      gatewayPolicy(3, { enabled: true, remoteAddress: { kind: 'host', name: 'client.example' }, remoteName: 'myid' }),
    ];
    expect(selectGateway(gateways, id(IdType.FQDN, 'myid'), '192.0.2.132')).toEqual({ kind: 'unknown-peer', idText: 'myid' });
  });

  it('takes the lowest gateway id when two names match', () => {
    expect(selectGateway([byName(3, 'myid'), byName(2, 'myid')].sort((a, b) => a.gatewayId - b.gatewayId), id(IdType.FQDN, 'myid'), '192.0.2.1')).toMatchObject({
      gateway: { gatewayId: 2 },
    });
  });

  it('template tunnels have their own names (myid, myid2, myid3): each ID finds its tunnel', () => {
    const gateways = [byName(1, 'myid'), byName(2, 'myid2'), byName(3, 'myid3')];
    expect(['myid', 'myid2', 'myid3', 'myid4'].map((name) => {
      const selection = selectGateway(gateways, id(IdType.FQDN, name), '192.0.2.132');
      return selection.kind === 'selected' ? selection.gateway.gatewayId : undefined;
    })).toEqual([1, 2, 3, undefined]);
  });

  it('an `any` gateway without a remote name accepts any ID, after those that name it', () => {
    const nameless = gatewayPolicy(4, { enabled: true, remoteAddress: { kind: 'any' } });
    expect(selectGateway([nameless, byName(5, 'myid')], id(IdType.KEY_ID, 'myid'), '192.0.2.132')).toMatchObject({ matchedBy: 'remote-name', gateway: { gatewayId: 5 } });
    expect(selectGateway([nameless, byName(5, 'myid')], id(IdType.KEY_ID, 'pc'), '192.0.2.132')).toMatchObject({ matchedBy: 'any-name', gateway: { gatewayId: 4 } });
  });

  it('one peer per tunnel: among equal matches, the first tunnel not carrying another peer; all taken, the first', () => {
    const nameless = [1, 2, 3].map((gatewayId) => gatewayPolicy(gatewayId, { enabled: true, remoteAddress: { kind: 'any' } }));
    const busy = new Set([1, 2]);
    const inUse = (gatewayId: number) => busy.has(gatewayId);
    expect(selectGateway(nameless, id(IdType.FQDN, 'pc'), '192.0.2.140', inUse)).toMatchObject({ gateway: { gatewayId: 3 } });
    busy.add(3);
    expect(selectGateway(nameless, id(IdType.FQDN, 'pc'), '192.0.2.140', inUse)).toMatchObject({ gateway: { gatewayId: 1 } });
  });
});

describe('the gateway that answers Main Mode: chosen by source address only', () => {
  const byAddress = (gatewayId: number, address: string, enabled = true) => gatewayPolicy(gatewayId, { enabled, remoteAddress: { kind: 'ip', address } });

  it('is the enabled gateway whose `remote address` is the source, the lowest id first', () => {
    const gateways = [byAddress(1, '198.51.100.1', false), byAddress(2, '198.51.100.1'), byAddress(3, '198.51.100.1'), byAddress(4, '198.51.100.2')];
    expect(selectMainModeGateway(gateways, '198.51.100.1')?.gatewayId).toBe(2);
    expect(selectMainModeGateway(gateways, '198.51.100.2')?.gatewayId).toBe(4);
  });

  it('is never a `remote address any` gateway, named or not, nor one whose remote address is a host name', () => {
    const gateways = [byName(1, 'myid'), gatewayPolicy(2, { enabled: true, remoteAddress: { kind: 'any' } }), gatewayPolicy(3, { enabled: true, remoteAddress: { kind: 'host', name: 'peer.example' } })];
    expect(selectMainModeGateway(gateways, '192.0.2.132')).toBeUndefined();
  });
});
