/**
 * The embedded default config: the RTX1500 Rev.8.03.75 remote-access config of the seed write-up
 * (shared/seed/000_81cabc0878783451.txt, from `# RTX1500 Rev.8.03.75` to
 * `auth user group attribute 11 xauth=on`), verbatim except for two lines (docs/config.md):
 *
 * 1. `ipsec ike pre-shared-key 1 text PSKEY1` replaces the seed's `ipsec ike pre-shared-key 1 *`.
 *    The seed's author masked the key; the racoon psk.txt in the same write-up holds `PSKEY1`
 *    (a real RTX prints pre-shared keys in clear text, rtx-behaviour.md §8).
 * 2. `ipsec ike nat-traversal 1 on` is added (after `ipsec ike log 1`, where `show config` puts
 *    it), so that ESP travels in UDP 4500: node:dgram cannot send or receive raw ESP (IP protocol 50).
 */
import { readConfig, type ReadResult } from './read-config.js';

export const DEFAULT_CONFIG_TEXT = `# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)
# Reporting Date: Oct 1 12:28:06 2008
login password *
console character ascii
ip route default gateway 172.16.0.1
ip route 192.168.100.0/24 gateway tunnel 1
ip lan1 address 10.1.1.1/24
ip lan1 proxyarp on
ip lan2 address 172.16.0.254/24
tunnel select 1
ipsec tunnel 1
ipsec sa policy 1 1 esp 3des-cbc sha-hmac
ipsec ike always-on 1 off
ipsec ike encryption 1 3des-cbc
ipsec ike esp-encapsulation 1 off
ipsec ike group 1 modp1024
ipsec ike hash 1 sha
ipsec ike keepalive log 1 on
ipsec ike local address 1 172.16.0.254
ipsec ike log 1 key-info message-info payload-info
ipsec ike nat-traversal 1 on
ipsec ike payload type 1 3
ipsec ike pfs 1 off
ipsec ike pre-shared-key 1 text PSKEY1
ipsec ike remote address 1 any
ipsec ike remote name 1 myid
ipsec ike xauth request 1 on 11
ipsec ike mode-cfg address 1 1
ipsec auto refresh 1 on
ip tunnel tcp mss limit auto
tunnel enable 1
ipsec ike mode-cfg address pool 1 10.1.1.110-10.1.1.112/32
syslog debug on
auth user 1 user1 password
auth user group 11 1-3
auth user group attribute 11 xauth=on
`;

/** The two lines that differ from the seed, for documentation and tests. */
export const DEFAULT_CONFIG_CHANGES = {
  replaced: { seed: 'ipsec ike pre-shared-key 1 *', embedded: 'ipsec ike pre-shared-key 1 text PSKEY1' },
  added: 'ipsec ike nat-traversal 1 on',
} as const;

/** The embedded default config, read (it has no bad lines; a test keeps it so). */
export function readDefaultConfig(): ReadResult {
  return readConfig(DEFAULT_CONFIG_TEXT);
}
