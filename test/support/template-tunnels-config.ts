/**
 * A remote-access tunnel 1 (`remote address any`, `remote name client`, XAUTH against users 1-3,
 * a mode-cfg pool) copied to tunnels 2..lastTunnel by `tunnel template` (§15.49.6: their peers are
 * named `client2` ... `clientN`), for the tests and the bench that hold many tunnels at once. Each
 * adds what its case needs: lines in tunnel 1 and global lines.
 */
export interface TemplateTunnelsOptions {
  readonly lastTunnel: number;
  /** `ipsec ike mode-cfg address pool 1 ...` (without the /32). */
  readonly pool: string;
  /** More interface lines, after lan1's address (`ip lan2 address ...`). */
  readonly interfaceLines?: readonly string[];
  /** More lines in tunnel 1, after its `ipsec sa policy`. */
  readonly tunnelLines?: readonly string[];
  /** More global lines, at the end. */
  readonly globalLines?: readonly string[];
}

export function templateTunnelsConfig(options: TemplateTunnelsOptions): string {
  return [
    'ip lan1 address 10.1.1.1/24',
    ...(options.interfaceLines ?? []),
    'tunnel select 1',
    'ipsec tunnel 1',
    'ipsec sa policy 1 1 esp 3des-cbc sha-hmac',
    ...(options.tunnelLines ?? []),
    'ipsec ike nat-traversal 1 on',
    'ipsec ike pre-shared-key 1 text PSKEY1',
    'ipsec ike remote address 1 any',
    'ipsec ike remote name 1 client',
    'ipsec ike xauth request 1 on 11',
    'ipsec ike mode-cfg address 1 1',
    `tunnel template 2-${options.lastTunnel}`,
    'tunnel enable 1',
    'tunnel select none',
    `ipsec ike mode-cfg address pool 1 ${options.pool}/32`,
    'auth user 1 user1 password',
    'auth user group 11 1-3',
    'auth user group attribute 11 xauth=on',
    ...(options.globalLines ?? []),
    '',
  ].join('\n');
}
