/**
 * A site-to-site tunnel 1 in the form of Yamaha's examples (a fixed peer address, a pre-shared
 * key, no XAUTH and no mode-cfg; 3DES/SHA1/MODP1024), for the tests that play one end of it.
 * Each test adds what its case needs: routes, lines in the tunnel, global lines at the end.
 */
export interface SiteToSiteConfigOptions {
  /** lan1's address, without the prefix length (/24 is added). */
  readonly lanAddress: string;
  /** `ipsec ike remote address 1 ...`: the peer's address, or `any`. */
  readonly remoteAddress: string;
  readonly preSharedKey: string;
  /** Networks behind the peer: `ip route NET gateway tunnel 1` each. */
  readonly routesThroughTunnel?: readonly string[];
  /** `ipsec ike nat-traversal 1 ...`; `on` by default. */
  readonly natTraversal?: string;
  /** More `ipsec ike ...` lines in tunnel 1 (keepalive, local/remote id). */
  readonly tunnelLines?: readonly string[];
  /** Global lines after `ipsec use on` (`syslog debug on`, `ipsec auto refresh on`). */
  readonly globalLines?: readonly string[];
}

export function siteToSiteConfig(options: SiteToSiteConfigOptions): string {
  return [
    `ip lan1 address ${options.lanAddress}/24`,
    ...(options.routesThroughTunnel ?? []).map((network) => `ip route ${network} gateway tunnel 1`),
    'tunnel select 1',
    ' ipsec tunnel 1',
    '  ipsec sa policy 1 1 esp 3des-cbc sha-hmac',
    '  ipsec ike encryption 1 3des-cbc',
    '  ipsec ike group 1 modp1024',
    '  ipsec ike hash 1 sha',
    ...(options.tunnelLines ?? []).map((line) => `  ${line}`),
    `  ipsec ike nat-traversal 1 ${options.natTraversal ?? 'on'}`,
    `  ipsec ike pre-shared-key 1 text ${options.preSharedKey}`,
    `  ipsec ike remote address 1 ${options.remoteAddress}`,
    ' tunnel enable 1',
    'tunnel select none',
    'ipsec use on',
    ...(options.globalLines ?? []),
    '',
  ].join('\n');
}
