import { describe, expect, it } from 'vitest';
import { formatHostPort } from '../../src/router/host-port.js';

describe('formatHostPort', () => {
  it('joins an IPv4 address and port with a colon', () => {
    expect(formatHostPort('192.0.2.1', 4500)).toBe('192.0.2.1:4500');
  });

  it('puts an IPv6 address in brackets', () => {
    expect(formatHostPort('2001:db8::1', 500)).toBe('[2001:db8::1]:500');
  });
});
