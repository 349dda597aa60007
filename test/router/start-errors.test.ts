import { describe, expect, it } from 'vitest';
import { describeBindError } from '../../src/router/start-errors.js';

const systemError = (code: string) => Object.assign(new Error(`bind ${code}`), { code });

describe('startup error messages', () => {
  it('port in use: says which address and port, and which options move it', () => {
    const message = describeBindError(systemError('EADDRINUSE'), { role: 'IKE', address: '127.0.0.1', port: 500 });
    expect(message).toContain('UDP 127.0.0.1:500 (IKE)');
    expect(message).toContain('already in use');
    expect(message).toContain('--ike-port');
    expect(message).toContain('--bind');
  });

  it('port in use on the NAT-T socket points at --natt-port', () => {
    const message = describeBindError(systemError('EADDRINUSE'), { role: 'NAT-T', address: '127.0.0.1', port: 4500 });
    expect(message).toContain('UDP 127.0.0.1:4500 (NAT-T)');
    expect(message).toContain('--natt-port');
  });

  it('no permission: explains privileged ports and offers --ike-port 1500 or sudo', () => {
    const message = describeBindError(systemError('EACCES'), { role: 'IKE', address: '0.0.0.0', port: 500 });
    expect(message).toContain('UDP 0.0.0.0:500 (IKE)');
    expect(message).toContain('permission denied');
    expect(message).toContain('CAP_NET_BIND_SERVICE');
    expect(message).toContain('--ike-port 1500');
    expect(message).toContain('sudo');
  });

  it('address not available: says the address is not this host’s and points at --bind', () => {
    const message = describeBindError(systemError('EADDRNOTAVAIL'), { role: 'IKE', address: '192.0.2.99', port: 500 });
    expect(message).toContain('192.0.2.99 is not an address of this host');
    expect(message).toContain('--bind');
  });

  it('anything else: says where and passes the system message on', () => {
    const message = describeBindError(systemError('EINVAL'), { role: 'NAT-T', address: '127.0.0.1', port: 4500 });
    expect(message).toBe('cannot listen on UDP 127.0.0.1:4500 (NAT-T): bind EINVAL');
  });

  it('writes IPv6 endpoints in brackets', () => {
    expect(describeBindError(systemError('EADDRINUSE'), { role: 'IKE', address: '::1', port: 500 })).toContain('UDP [::1]:500 (IKE)');
  });
});
