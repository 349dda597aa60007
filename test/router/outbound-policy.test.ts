// What the router may originate, and to where: loopback and this host's own addresses, anything
// with --allow-outbound; a refusal is to be logged once per destination.
import { describe, expect, it } from 'vitest';
import { canonicalAddress } from '../../src/router/ip-literal.js';
import { createOutboundPolicy, hostInterfaceAddresses, isLoopbackAddress } from '../../src/router/outbound-policy.js';

const HOST = ['192.0.2.10', '2001:db8::10', 'fe80::10%eth0', '127.0.0.1', '::1'];

describe('addresses compared by value, not spelling', () => {
  it('IPv4, v4-mapped IPv6 and IPv6 in any spelling reduce to one form; names do not', () => {
    expect(canonicalAddress('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(canonicalAddress('2001:DB8:0:0:0:0:0:10')).toBe(canonicalAddress('2001:db8::10'));
    expect(canonicalAddress('fe80::10%eth0')).toBe(canonicalAddress('fe80::10'));
    expect(canonicalAddress('syslog.example')).toBeUndefined();
  });

  it('loopback is all of 127.0.0.0/8 and ::1, in any spelling', () => {
    expect(['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.2'].filter(isLoopbackAddress)).toHaveLength(5);
    expect(['128.0.0.1', '::2', '::', '0.0.0.0', 'localhost'].filter(isLoopbackAddress)).toEqual([]);
  });
});

describe('createOutboundPolicy', () => {
  it('permits loopback and the host`s own interface addresses, nothing else', () => {
    const policy = createOutboundPolicy({ allowOutbound: false, hostAddresses: HOST });
    expect(['127.0.0.1', '127.0.0.53', '::1', '192.0.2.10', '::ffff:192.0.2.10', '2001:db8::10', 'fe80::10'].map(policy.permits)).toEqual(Array(7).fill(true));
    expect(['192.0.2.11', '198.51.100.1', '2001:db8::11', '0.0.0.0', '::', '255.255.255.255', '224.0.0.1', 'syslog.example'].map(policy.permits)).toEqual(Array(8).fill(false));
  });

  it('with --allow-outbound permits every destination', () => {
    const policy = createOutboundPolicy({ allowOutbound: true, hostAddresses: [] });
    expect(policy.allowOutbound).toBe(true);
    expect(['198.51.100.1', '2001:db8::99'].map(policy.permits)).toEqual([true, true]);
    expect(policy.check('198.51.100.1', 'syslog')).toEqual({ permitted: true });
  });

  it('a refused destination is flagged for logging the first time only, per purpose and address', () => {
    const policy = createOutboundPolicy({ allowOutbound: false, hostAddresses: HOST });
    const first = policy.check('198.51.100.1', 'syslog');
    expect(first).toEqual({
      permitted: false,
      firstRefusal: true,
      notice: "syslog to 198.51.100.1 not sent: rtxlab sends only to loopback and this host's own addresses unless started with --allow-outbound",
    });
    expect(policy.check('198.51.100.1', 'syslog')).toMatchObject({ permitted: false, firstRefusal: false });
    expect(policy.check('::ffff:198.51.100.1', 'syslog')).toMatchObject({ firstRefusal: false }); // the same destination
    expect(policy.check('198.51.100.2', 'syslog')).toMatchObject({ firstRefusal: true });
    expect(policy.check('198.51.100.1', 'IKE')).toMatchObject({ firstRefusal: true });
    expect(policy.check('127.0.0.1', 'syslog')).toEqual({ permitted: true });
  });

  it('by default knows this host`s interfaces from os.networkInterfaces()', () => {
    const own = hostInterfaceAddresses();
    expect(own).toContain('127.0.0.1');
    const policy = createOutboundPolicy({ allowOutbound: false });
    expect(own.every(policy.permits)).toBe(true);
  });

  it('hostInterfaceAddresses lists every address of every interface', () => {
    const info = (address: string, family: 'IPv4' | 'IPv6') => ({ address, family, netmask: '', mac: '', internal: false, cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) });
    expect(hostInterfaceAddresses({ lo: [info('127.0.0.1', 'IPv4')], eth0: [info('192.0.2.10', 'IPv4'), info('fe80::10', 'IPv6')], down: undefined } as never)).toEqual([
      '127.0.0.1',
      '192.0.2.10',
      'fe80::10',
    ]);
  });
});
