/**
 * Two RTX1500 configs for a site-to-site tunnel, written after Yamaha's public "拠点間接続"
 * examples. Aggressive Mode (the default here): the hub has a fixed address and names its
 * branch with `ipsec ike remote name` (`remote address any`), the branch initiates with
 * `ipsec ike local name` and `ipsec auto refresh on`. Main Mode: both name each other's fixed
 * address and neither has a name. NAT traversal is on with force=on, so ESP travels in UDP
 * (these in-memory tests carry datagrams, not IP packets). Addresses are made up.
 */
export interface SiteToSiteOptions {
  readonly hubAddress: string;
  readonly branchAddress: string;
  /** Extra lines for the branch's tunnel (lifetimes, retry, ...). */
  readonly branchExtra?: readonly string[];
  /** Extra lines for the hub's tunnel (keepalive, ...). */
  readonly hubExtra?: readonly string[];
  /** `ipsec auto refresh on` on the branch (default true). */
  readonly autoRefresh?: boolean;
  readonly hubKey?: string;
  /** The Phase 1 exchange (default Aggressive Mode). */
  readonly exchange?: 'aggressive' | 'main';
}

export const HUB_LAN = '192.168.1.1';
export const BRANCH_LAN = '192.168.2.1';

export function hubConfig(options: SiteToSiteOptions): string {
  return [
    `ip lan1 address ${HUB_LAN}/24`,
    'ip route 192.168.2.0/24 gateway tunnel 1',
    'tunnel select 1',
    ' ipsec tunnel 101',
    '  ipsec sa policy 101 1 esp 3des-cbc sha-hmac',
    `  ipsec ike pre-shared-key 1 text ${options.hubKey ?? 'site-secret'}`,
    '  ipsec ike nat-traversal 1 on force=on',
    ...(options.exchange === 'main'
      ? [`  ipsec ike remote address 1 ${options.branchAddress}`]
      : ['  ipsec ike remote address 1 any', '  ipsec ike remote name 1 branch1']),
    ...(options.hubExtra ?? []).map((line) => `  ${line}`),
    ' tunnel enable 1',
    '',
  ].join('\n');
}

export function branchConfig(options: SiteToSiteOptions): string {
  return [
    `ip lan1 address ${BRANCH_LAN}/24`,
    'ip route 192.168.1.0/24 gateway tunnel 1',
    'tunnel select 1',
    ' ipsec tunnel 101',
    '  ipsec sa policy 101 1 esp 3des-cbc sha-hmac',
    ...(options.exchange === 'main' ? [] : ['  ipsec ike local name 1 branch1']),
    '  ipsec ike pre-shared-key 1 text site-secret',
    '  ipsec ike nat-traversal 1 on force=on',
    `  ipsec ike remote address 1 ${options.hubAddress}`,
    ...(options.branchExtra ?? []).map((line) => `  ${line}`),
    ' tunnel enable 1',
    ...(options.autoRefresh === false ? [] : ['ipsec auto refresh on']),
    '',
  ].join('\n');
}
