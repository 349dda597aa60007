/**
 * The nat family as the router reads it (command reference chapter 23): descriptor types, outer
 * and inner address spaces, static NAT, port pinning with port maps and protocol numbers, the
 * incoming policy, timers.
 */
import { describe, expect, it } from 'vitest';
import { acceptedBy, lineError } from '../support.js';

const accepted = (line: string) => {
  const command = acceptedBy('nat', line);
  return { name: command.name, params: command.params };
};
const errorOf = (line: string) => lineError(line);

describe('nat descriptor type and address spaces', () => {
  it('types a descriptor, with hairpin= optionally', () => {
    expect(accepted('nat descriptor type 1 masquerade')).toEqual({
      name: 'nat descriptor type',
      params: { descriptor: 1, type: 'masquerade' },
    });
    expect(accepted('nat descriptor type 1000 nat-masquerade hairpin=on').params).toEqual({
      descriptor: 1000,
      type: 'nat-masquerade',
      hairpin: 'on',
    });
    expect(errorOf('nat descriptor type 1 masq')).toBe('illegal-keyword');
    expect(errorOf('nat descriptor type 0 masquerade')).toBe('parameter-out-of-range');
    expect(errorOf('nat descriptor type 2147483648 nat')).toBe('parameter-out-of-range');
    expect(errorOf('nat descriptor type 1 none hairpin=on')).toBe('illegal-keyword');
    expect(errorOf('nat descriptor type 1')).toBe('insufficient-or-too-many-parameters');
  });
  it('takes one outer mnemonic or a list of addresses and ranges', () => {
    expect(accepted('nat descriptor address outer 1 ipcp').params).toEqual({ descriptor: 1, mnemonic: 'ipcp' });
    expect(accepted('nat descriptor address outer 1000 map-e').params).toEqual({ descriptor: 1000, mnemonic: 'map-e' });
    expect(accepted('nat descriptor address outer 2 203.0.113.1 203.0.113.8-203.0.113.15').params).toEqual({
      descriptor: 2,
      addresses: ['203.0.113.1', '203.0.113.8-203.0.113.15'],
    });
    expect(errorOf('nat descriptor address outer 2 ipcp primary')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('nat descriptor address outer 2 203.0.113.300')).toBe('unrecognized-ip-address');
    expect(errorOf('nat descriptor address outer 2 203.0.113.9-203.0.113.1')).toBe('parameter-out-of-range');
  });
  it('takes auto or addresses as the inner space', () => {
    expect(accepted('nat descriptor address inner 1 auto').params).toEqual({ descriptor: 1, mnemonic: 'auto' });
    expect(accepted('nat descriptor address inner 1 192.168.0.1-192.168.0.254').params).toEqual({
      descriptor: 1,
      addresses: ['192.168.0.1-192.168.0.254'],
    });
  });
});

describe('static NAT and static masquerade', () => {
  it('maps outer=inner addresses, with a count or a mask', () => {
    expect(accepted('nat descriptor static 1 1 203.0.113.10=192.168.0.10').params).toEqual({
      descriptor: 1,
      id: 1,
      outer: '203.0.113.10',
      inner: '192.168.0.10',
    });
    expect(accepted('nat descriptor static 1 2 203.0.113.16=192.168.0.16 8').params).toMatchObject({ count: 8 });
    expect(accepted('nat descriptor static 1 3 203.0.113.32=192.168.0.32/28').params).toMatchObject({ mask: '28' });
    expect(errorOf('nat descriptor static 1 3 203.0.113.32=192.168.0.32/8')).toBe('parameter-out-of-range');
  });
  it('pins ports: single, outer=inner pairs in a list, mnemonics, or none for ESP', () => {
    expect(accepted('nat descriptor masquerade static 1 1 192.168.0.2 udp 500').params).toEqual({
      descriptor: 1,
      id: 1,
      inner: '192.168.0.2',
      protocol: 'udp',
      ports: [{ inner: '500' }],
    });
    expect(accepted('nat descriptor masquerade static 211 1 192.168.0.8 tcp 8009=https,8089,82=www,smtp').params).toMatchObject({
      protocol: 'tcp',
      ports: [{ outer: '8009', inner: 'https' }, { inner: '8089' }, { outer: '82', inner: 'www' }, { inner: 'smtp' }],
    });
    expect(accepted('nat descriptor masquerade static 1 2 192.168.0.2 esp').params).toMatchObject({ protocol: 'esp', ports: [] });
    expect(accepted('nat descriptor masquerade static 1100 105 192.168.0.5 4').params).toMatchObject({ protocol: 4, ports: [] });
    expect(accepted('nat descriptor masquerade static 1 3 192.168.0.3 tcp tftp').params).toMatchObject({ ports: [{ inner: 'tftp' }] });
  });
  it('refuses a missing port, a bad protocol, a port beyond 65535', () => {
    expect(errorOf('nat descriptor masquerade static 1 1 192.168.0.2 tcp')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('nat descriptor masquerade static 1 1 192.168.0.2 gre')).toBe('illegal-keyword');
    expect(errorOf('nat descriptor masquerade static 1 1 192.168.0.2 tcp 70000')).toBe('parameter-out-of-range');
    expect(errorOf('nat descriptor masquerade static 1 1 192.168.0.2 256')).toBe('parameter-out-of-range');
    expect(errorOf('nat descriptor masquerade static 1 1 host.example.com tcp 80')).toBe('unrecognized-ip-address');
  });
});

describe('masquerade policies and timers', () => {
  it('sets what happens to unmatched incoming packets', () => {
    expect(accepted('nat descriptor masquerade incoming 1 reject').params).toEqual({ descriptor: 1, action: 'reject' });
    expect(accepted('nat descriptor masquerade incoming 1 forward 192.168.0.9').params).toEqual({
      descriptor: 1,
      action: 'forward',
      forwardTo: '192.168.0.9',
    });
    expect(errorOf('nat descriptor masquerade incoming 1 forward')).toBe('insufficient-or-too-many-parameters');
    expect(errorOf('nat descriptor masquerade incoming 1 drop')).toBe('illegal-keyword');
  });
  it('sets timers per descriptor, per protocol/port, and after TCP FIN', () => {
    expect(accepted('nat descriptor timer 1 3600').params).toEqual({ descriptor: 1, seconds: 3600 });
    expect(accepted('nat descriptor timer 1 protocol=udp port=53 30').params).toEqual({
      descriptor: 1,
      protocol: 'udp',
      port: '53',
      seconds: 30,
    });
    expect(accepted('nat descriptor timer 1 tcpfin 60').params).toEqual({ descriptor: 1, tcpfin: 60 });
    expect(errorOf('nat descriptor timer 1 29')).toBe('parameter-out-of-range');
  });
  it('takes the other descriptor settings', () => {
    expect(accepted('nat descriptor masquerade rlogin 1 on').params).toEqual({ descriptor: 1, enabled: true });
    expect(accepted('nat descriptor masquerade port range 1 60000-64095 49152-59999').params).toEqual({
      descriptor: 1,
      ranges: ['60000-64095', '49152-59999'],
    });
    expect(errorOf('nat descriptor masquerade port range 1 64095-60000')).toBe('parameter-out-of-range');
    expect(accepted('nat descriptor masquerade unconvertible port 1 if-possible').params).toEqual({ descriptor: 1, ifPossible: true });
    expect(accepted('nat descriptor masquerade unconvertible port 1 udp 500').params).toEqual({ descriptor: 1, protocol: 'udp', port: '500' });
    expect(accepted('nat descriptor masquerade session limit 1 1 1000').params).toEqual({ descriptor: 1, id: 1, limit: 1000 });
    expect(accepted('nat descriptor masquerade session limit total 1 5000').params).toEqual({ descriptor: 1, limit: 5000 });
    expect(accepted('nat descriptor masquerade remove df-bit off').params).toEqual({ enabled: false });
    expect(accepted('nat descriptor ftp port 1 21 2121').params).toEqual({ descriptor: 1, ports: [21, 2121] });
    expect(accepted('nat descriptor log on').params).toEqual({ enabled: true });
    expect(accepted('nat descriptor sip 1 auto').params).toEqual({ descriptor: 1, mode: 'auto' });
    expect(accepted('nat descriptor backward-compatibility 2').params).toEqual({ type: 2 });
    expect(errorOf('nat descriptor backward-compatibility 4')).toBe('parameter-out-of-range');
  });
});
