import { describe, expect, it } from 'vitest';
import { CfgType, ModeCfgAttribute } from '../../src/ike/constants.js';
import { attributePayload, emptyAttribute, ipv4Attribute } from '../../src/ike/codec/index.js';
import { chooseAddressSource, modeCfgReply, modeCfgSet, netmaskOf, netmaskOfPrefix } from '../../src/ike-responder/mode-cfg-attributes.js';
import { SEED_POOLS } from './support.js';

const A = ModeCfgAttribute;

describe('where a mode-cfg address comes from (§15.38)', () => {
  it('the user\'s xauth-address first, with its mask', () => {
    const choice = chooseAddressSource({ xauth: true, address: { kind: 'fixed', address: { address: '192.168.100.30', mask: '24' } } }, { modeCfgPoolId: 1 }, SEED_POOLS);
    expect(choice).toEqual({ ok: true, source: { kind: 'user-address', address: '192.168.100.30', netmask: '255.255.255.0' } });
  });

  it('then the group\'s xauth-address-pool', () => {
    const choice = chooseAddressSource({ xauth: true, address: { kind: 'pool', pool: { first: '172.31.0.5', last: '172.31.0.6', mask: '255.255.0.0' } } }, { modeCfgPoolId: 1 }, SEED_POOLS);
    expect(choice).toEqual({ ok: true, source: { kind: 'group-pool', range: { first: '172.31.0.5', last: '172.31.0.6' }, netmask: '255.255.0.0' } });
  });

  it('then the gateway\'s `ipsec ike mode-cfg address`, the pool\'s /32 as netmask', () => {
    expect(chooseAddressSource({ xauth: true }, { modeCfgPoolId: 1 }, SEED_POOLS)).toEqual({
      ok: true,
      source: { kind: 'gateway-pool', poolId: 1, range: { first: '10.1.1.110', last: '10.1.1.112' }, netmask: '255.255.255.255' },
    });
  });

  it('says why there is none', () => {
    expect(chooseAddressSource({ xauth: true }, {}, SEED_POOLS)).toMatchObject({ ok: false, reason: expect.stringContaining('no xauth-address') });
    expect(chooseAddressSource({ xauth: true }, { modeCfgPoolId: 9 }, SEED_POOLS)).toEqual({ ok: false, reason: 'mode-cfg address pool 9 is not defined' });
    expect(chooseAddressSource({ xauth: true, address: { kind: 'fixed', address: { address: '2001:db8::5' } } }, {}, SEED_POOLS).ok).toBe(false);
  });
});

describe('the SET and the (rtxlab option) REPLY', () => {
  it('SET: ADDRESS, NETMASK, DNS, NBNS in that order, identifier 0', () => {
    expect(modeCfgSet({ address: '10.1.1.110', netmask: '255.255.255.255', dns: '10.1.1.53', wins: '10.1.1.54' })).toEqual(
      attributePayload(CfgType.SET, [
        ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'),
        ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.255'),
        ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.53'),
        ipv4Attribute(A.INTERNAL_IP4_NBNS, '10.1.1.54'),
      ]),
    );
    expect(modeCfgSet({ address: '10.1.1.110' }).attributes).toEqual([ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110')]);
  });

  it('REPLY: only what was asked for and is known, in the REQUEST\'s order, with its identifier', () => {
    const request = attributePayload(CfgType.REQUEST, [emptyAttribute(A.INTERNAL_IP4_DNS), emptyAttribute(A.UNITY_BANNER), emptyAttribute(A.INTERNAL_IP4_ADDRESS)], 20);
    expect(modeCfgReply(request, { address: '10.1.1.110', dns: '10.1.1.53' })).toEqual(
      attributePayload(CfgType.REPLY, [ipv4Attribute(A.INTERNAL_IP4_DNS, '10.1.1.53'), ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110')], 20),
    );
    expect(modeCfgReply(request, undefined).attributes).toEqual([]);
  });

  it('reads masks written as a prefix length or dotted', () => {
    expect([netmaskOf('32'), netmaskOf('24'), netmaskOf('255.255.255.128'), netmaskOf('33'), netmaskOf(undefined)]).toEqual([
      '255.255.255.255',
      '255.255.255.0',
      '255.255.255.128',
      undefined,
      undefined,
    ]);
    expect(netmaskOfPrefix(0)).toBe('0.0.0.0');
  });
});
