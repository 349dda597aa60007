/** The IPsec/IKE commands: parameter shapes (rtx-behaviour.md §1-4) and value checks. */
import { describe, expect, it } from 'vitest';
import { errorOf, only } from '../support.js';

const params = (line: string, ...setup: string[]) => only(...setup, line).params;

describe('ipsec family: parameter shapes', () => {
  it.each([
    ['ipsec use off', { enabled: false }],
    ['ipsec log illegal-spi on', { enabled: true }],
    ['ipsec auto refresh on', { enabled: true }],
    ['ipsec auto refresh 1 off', { gateway: 1, enabled: false }],
    ['ipsec ike pre-shared-key 1 text PSKEY1', { gateway: 1, key: { kind: 'text', text: 'PSKEY1' } }],
    ['ipsec ike pre-shared-key 8 0xCDEEEDC0CDEDCD', { gateway: 8, key: { kind: 'hex', hex: 'cdeeedc0cdedcd' } }],
    ['ipsec ike pre-shared-key 1 *', { gateway: 1, key: { kind: 'masked' } }],
    ['ipsec ike negotiate-strictly 1 on', { gateway: 1, enabled: true }],
    ['ipsec ike always-on 1 off', { gateway: 1, enabled: false }],
    ['ipsec ike retry 10 5', { count: 10, intervalSeconds: 5 }],
    ['ipsec ike retry 10 5 3', { count: 10, intervalSeconds: 5, maxSessions: 3 }],
    ['ipsec ike remote name 1 myid', { gateway: 1, name: 'myid' }],
    ['ipsec ike remote name 1 pc key-id', { gateway: 1, name: 'pc', idType: 'key-id' }],
    ['ipsec ike remote address 1 any', { gateway: 1, address: { kind: 'any' } }],
    ['ipsec ike remote address 1 200.1.1.1', { gateway: 1, address: { kind: 'ip', address: '200.1.1.1' } }],
    ['ipsec ike remote address 1 vpn.example.jp', { gateway: 1, address: { kind: 'host', name: 'vpn.example.jp' } }],
    ['ipsec ike remote id 1 192.168.0.0/24', { gateway: 1, address: '192.168.0.0', mask: '24' }],
    ['ipsec ike local name 1 branch fqdn', { gateway: 1, name: 'branch', idType: 'fqdn' }],
    ['ipsec ike local address 1 172.16.0.254', { gateway: 1, address: { kind: 'ip', address: '172.16.0.254' } }],
    ['ipsec ike local address 1 vrrp lan2 3', { gateway: 1, address: { kind: 'vrrp', interface: 'lan2', vrid: 3 } }],
    ['ipsec ike local address 1 ipcp pp 1', { gateway: 1, address: { kind: 'ipcp', peer: 1 } }],
    ['ipsec ike local id 1 10.1.1.0/255.255.255.0', { gateway: 1, address: '10.1.1.0', mask: '255.255.255.0' }],
    ['ipsec ike keepalive use 1 on heartbeat 10 6', { gateway: 1, mode: 'on', method: { kind: 'heartbeat' }, timing: { intervalSeconds: 10, count: 6 }, options: {} }],
    ['ipsec ike keepalive use 1 on dpd 10 3', { gateway: 1, mode: 'on', method: { kind: 'dpd' }, timing: { intervalSeconds: 10, count: 3 }, options: {} }],
    ['ipsec ike keepalive use 30 on dpd', { gateway: 30, mode: 'on', method: { kind: 'dpd' }, options: {} }],
    ['ipsec ike keepalive use 1 off', { gateway: 1, mode: 'off', options: {} }],
    [
      'ipsec ike keepalive use 1 auto icmp-echo 10.0.0.1 length=100 20 5 60 down=disconnect',
      { gateway: 1, mode: 'auto', method: { kind: 'icmp-echo', target: '10.0.0.1', length: 100 }, timing: { intervalSeconds: 20, count: 5, upwaitSeconds: 60 }, options: { down: 'disconnect' } },
    ],
    ['ipsec ike keepalive log 1 off', { gateway: 1, enabled: false }],
    ['ipsec ike encryption 1 aes-cbc', { gateway: 1, algorithm: 'aes-cbc' }],
    ['ipsec ike queue length 40', { length: 40 }],
    ['ipsec ike group 1 modp1024', { gateway: 1, phase1: 'modp1024', phase2: 'modp1024' }],
    ['ipsec ike group 1 modp1024 modp768', { gateway: 1, phase1: 'modp1024', phase2: 'modp768' }],
    ['ipsec ike hash 1 md5', { gateway: 1, algorithm: 'md5' }],
    ['ipsec ike payload type 1 3', { gateway: 1, ikev1: 3 }],
    ['ipsec ike payload type 30 2 2', { gateway: 30, ikev1: 2, ikev2: 2 }],
    ['ipsec ike backward-compatibility 1 2', { gateway: 1, type: 2 }],
    ['ipsec ike send info 1 off', { gateway: 1, enabled: false }],
    ['ipsec ike pfs 1 on', { gateway: 1, enabled: true }],
    ['ipsec ike xauth myname 1 user1 password', { gateway: 1, name: 'user1', password: 'password' }],
    ['ipsec ike xauth request 1 on 11', { gateway: 1, enabled: true, groupId: 11 }],
    ['ipsec ike xauth request 1 off', { gateway: 1, enabled: false }],
    ['ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32', { poolId: 1, range: '10.1.1.110-10.1.1.112/32' }],
    ['ipsec ike mode-cfg address pool 2 172.16.0.1/24', { poolId: 2, range: '172.16.0.1/24' }],
    ['ipsec ike mode-cfg method 1 set openswan', { gateway: 1, method: 'set', openswan: true }],
    ['ipsec ike mode-cfg address 1 1', { gateway: 1, poolId: 1 }],
    ['ipsec ike log 1 key-info message-info payload-info', { gateway: 1, types: ['key-info', 'message-info', 'payload-info'] }],
    ['ipsec ike log payload-info', { types: ['payload-info'] }],
    ['ipsec ike esp-encapsulation 1 off', { gateway: 1, enabled: false }],
    ['ipsec ike duration ipsec-sa 1 3600', { sa: 'ipsec-sa', gateway: 1, seconds: 3600 }],
    ['ipsec ike duration isakmp-sa 1 28800 rekey off', { sa: 'isakmp-sa', gateway: 1, seconds: 28800, rekey: 'off' }],
    ['ipsec ike duration child-sa 1 3600 100000 rekey 80%', { sa: 'ipsec-sa', gateway: 1, seconds: 3600, kilobytes: 100000, rekey: 80 }],
    ['ipsec ike restrict-dangling-sa 1 off', { gateway: 1, action: 'off' }],
    ['ipsec ike nat-traversal 1 on', { gateway: 1, enabled: true, options: {} }],
    ['ipsec ike nat-traversal 1 on keepalive=30 force=on', { gateway: 1, enabled: true, options: { keepalive: '30', force: 'on' } }],
    ['ipsec sa policy 101 1 esp aes-cbc sha-hmac', { policyId: 101, gateway: 1, protocol: 'esp', encryption: 'aes-cbc', authentication: 'sha-hmac', options: {} }],
    ['ipsec sa policy 1 1 esp 3des-cbc sha-hmac anti-replay-check=off', { policyId: 1, gateway: 1, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac', options: { 'anti-replay-check': 'off' } }],
    ['ipsec sa policy 2 1 esp', { policyId: 2, gateway: 1, protocol: 'esp', options: {} }],
    ['ipsec sa policy 3 1 ah md5-hmac', { policyId: 3, gateway: 1, protocol: 'ah', authentication: 'md5-hmac', options: {} }],
    ['ipsec transport 1 101 udp 1701', { transportId: 1, policyId: 101, protocol: 'udp', sourcePorts: '1701' }],
    ['ipsec transport template 1 2 10-12', { transportId: 1, targets: ['2', '10-12'] }],
  ])('%s', (line, expected) => {
    expect(params(line)).toEqual(expected);
  });

  it('tunnel-interface commands need a selected tunnel', () => {
    expect(params('ipsec tunnel 101', 'tunnel select 1')).toEqual({ policyId: 101 });
    expect(params('ipsec tunnel outer df-bit clear', 'tunnel select 1')).toEqual({ mode: 'clear' });
    expect(errorOf('ipsec tunnel 101')).toBe('execute-tunnel-select-beforehand');
  });
});

describe('ipsec family: value checks', () => {
  it.each([
    ['ipsec ike encryption 0 aes-cbc', 'parameter-out-of-range'],
    ['ipsec ike encryption 101 aes-cbc', 'parameter-out-of-range'],
    ['ipsec ike encryption 1 blowfish', 'illegal-keyword'],
    ['ipsec ike hash 1 sha1', 'illegal-keyword'],
    ['ipsec ike group 1 modp4096', 'illegal-keyword'],
    ['ipsec ike pre-shared-key 1 PSKEY1', 'illegal-keyword'],
    [`ipsec ike pre-shared-key 1 text ${'k'.repeat(129)}`, 'parameter-out-of-range'],
    ['ipsec ike retry 51 5', 'parameter-out-of-range'],
    ['ipsec ike retry 10 5 6', 'parameter-out-of-range'],
    [`ipsec ike remote name 1 ${'n'.repeat(257)}`, 'parameter-out-of-range'],
    ['ipsec ike remote address 1 10.0.0.300', 'unrecognized-ip-address'],
    ['ipsec ike remote id 1 10.0.0.0/255.0.255.0', 'unrecognized-ip-address'],
    ['ipsec ike keepalive use 1 on heartbeat 601 6', 'parameter-out-of-range'],
    ['ipsec ike keepalive use 1 on heartbeat 10 51', 'parameter-out-of-range'],
    ['ipsec ike keepalive use 1 maybe', 'illegal-keyword'],
    ['ipsec ike payload type 1 0', 'parameter-out-of-range'],
    ['ipsec ike payload type 1 2 3', 'parameter-out-of-range'],
    [`ipsec ike xauth myname 1 ${'u'.repeat(33)} pw`, 'parameter-out-of-range'],
    ['ipsec ike mode-cfg address pool 0 10.0.0.1', 'parameter-out-of-range'],
    ['ipsec ike mode-cfg address pool 1 10.0.0.9-10.0.0.1', 'parameter-out-of-range'],
    ['ipsec ike mode-cfg method 1 pull', 'illegal-keyword'],
    ['ipsec ike duration ipsec-sa 1 299', 'parameter-out-of-range'],
    ['ipsec ike duration ipsec-sa 1 3600 rekey off', 'illegal-keyword'],
    ['ipsec ike duration isakmp-sa 1 28800 rekey 95%', 'parameter-out-of-range'],
    ['ipsec ike nat-traversal 1 on keepalive=10', 'parameter-out-of-range'],
    ['ipsec ike nat-traversal 1 on force=maybe', 'illegal-keyword'],
    ['ipsec ike log 1 everything', 'illegal-keyword'],
    ['ipsec sa policy 1 1 esp aes-cbc sha-hmac anti-replay-check=maybe', 'illegal-keyword'],
    ['ipsec sa policy 1 1 gre', 'illegal-keyword'],
    ['ipsec sa policy 0 1 esp', 'parameter-out-of-range'],
  ] as const)('%s -> %s', (line, error) => {
    expect(errorOf(line)).toBe(error);
  });
});
