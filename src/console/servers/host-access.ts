/**
 * `telnetd host` / `sshd host` (command reference §4.40, §4.67): who may connect. `any` everyone,
 * `none` nobody, addresses and `a.b.c.d-e.f.g.h` ranges those. `lan` and interface names (the
 * hosts on that LAN side) admit every client: rtxlab's management listeners face only the
 * `--mgmt-bind` address, which stands for the router's LAN side (assumed).
 */
import { isIPv4 } from 'node:net';
import type { ServiceSettings } from '../../config/views/console.js';

/** A socket's remote address as IPv4 when it is one (`::ffff:127.0.0.1` -> `127.0.0.1`). */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

export function hostAllowed(hosts: ServiceSettings['hosts'], remoteAddress: string): boolean {
  const address = plainAddress(remoteAddress);
  return hosts.some((host) => {
    const spec = host.toLowerCase();
    if (spec === 'any') return true;
    if (spec === 'none') return false;
    if (!/^\d/.test(spec)) return true; // `lan`, `lan1`, ...: see above
    const [first = '', last = first] = spec.split('-');
    if (!isIPv4(address)) return false;
    const value = ipv4Number(address);
    return value >= ipv4Number(first) && value <= ipv4Number(last);
  });
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}
