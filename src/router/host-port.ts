/** An endpoint as people write it: `192.0.2.1:500`, `[2001:db8::1]:500`. */
export function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
