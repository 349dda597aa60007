/**
 * racoon (ipsec-tools) 0.7.1 with the seed's racoon.conf and ipsec-tools.conf: aggressive,
 * `xauth_psk_client`, 3DES/SHA1/MODP1024, life 14400 s, `nat_traversal on`, `my_identifier fqdn
 * "myid"`, `peers_identifier address "172.16.0.254"`, `xauth_login "user1"`, `sainfo anonymous`
 * with PFS modp1024, 3DES, HMAC-SHA1; the SPD from 192.168.100.30 to 10.1.1.0/24.
 *
 * Two variants, as the seed ran it: `mode_cfg` commented out (the inner address set by hand with
 * iptunnel) and `mode_cfg on`. The code read is ipsec-tools 0.9.1 (`isakmp_agg.c`,
 * `isakmp_cfg.c`, `isakmp_xauth.c`); the seed quotes 0.7.1's `isakmp_cfg_set()`, which matches it.
 */
import { RACOON_XAUTH } from '../xauth.js';
import { racoonModeCfg } from '../mode-cfg.js';
import type { TunnelOptions } from '../tunnel-options.js';
import { SEED_PROTECTED_NETWORK, type ClientProfile, type DocumentedBehaviour, type ProfileInputs } from './profile.js';
import type { PaddingPolicy } from '../../ike/crypto/index.js';

/** The inner address the seed's author set by hand (`ifconfig ipsec0 192.168.100.30/32`, `spdadd 192.168.100.30 ...`). */
export const RACOON_HAND_SET_INNER_ADDRESS = '192.168.100.30';

/** racoon's `nonce_size` default (racoon.conf(5): 16 bytes). */
const RACOON_NONCE_LENGTH = 16;

/**
 * racoon pads 1..bs bytes, random by default (racoon.conf(5) `padding { randomize on; }`); the
 * pad length in the last byte (`exclusive_tail`) is off by default.
 */
const RACOON_PADDING: PaddingPolicy = { kind: 'random', minimumLength: 1 };

/**
 * The identifier racoon puts in its mode-cfg REQUEST is random per exchange (`isakmp_cfg_getconfig`
 * draws it); a fixed one is used so that runs compare.
 */
const RACOON_REQUEST_IDENTIFIER = 0x5c0a;

const COMMON_BEHAVIOURS: readonly DocumentedBehaviour[] = [
  { aspect: 'Phase 1 proposal', value: '3DES/SHA1/MODP1024, XAUTHInitPreShared (xauth_psk_client), life 14400 s', source: 'seed racoon.conf `proposal`, `lifetime time 14400 second`', status: 'config' },
  { aspect: 'ID', value: 'FQDN myid; IDir must be the address 172.16.0.254', source: 'seed racoon.conf `my_identifier`, `peers_identifier`', status: 'config' },
  { aspect: 'message 1 Vendor IDs', value: 'XAUTH and Cisco Unity (for an XAUTH auth method), NAT-T RFC 3947 and drafts', source: '`agg_i1send` (ENABLE_HYBRID: `vid_xauth`, `vid_unity`); `nat_traversal on`', status: 'code' },
  { aspect: 'nonces', value: '16 bytes', source: 'racoon.conf(5) `nonce_size` default', status: 'documented' },
  { aspect: 'message 3', value: 'in clear: HASH_I (+ NAT-D); the E flag is set only after sending', source: '`agg_i2send`', status: 'code' },
  { aspect: 'padding', value: 'random, 1..bs bytes', source: 'ikev1-notes §2 (racoon padding); racoon.conf(5) `padding` defaults', status: 'documented' },
  { aspect: 'XAUTH', value: 'REPLY echoes the identifier and XAUTH-TYPE generic; ACK is XAUTH-STATUS TV 0; a FAIL status deletes the ISAKMP SA', source: '`isakmp_xauth_req`, `isakmp_xauth_set`, `ISAKMP_CFG_DELETE_PH1`', status: 'code' },
  { aspect: 'mode-cfg SET', value: 'only XAUTH attributes are handled: others logged "Unexpected SET attribute", nothing installed, an empty ACK sent', source: '`isakmp_cfg_set()` (quoted in the seed for 0.7.1)', status: 'code' },
  { aspect: 'Quick Mode', value: 'ESP 3DES/HMAC-SHA1 with PFS MODP1024; IDcr = 10.1.1.0/24', source: 'seed racoon.conf `sainfo anonymous`; ipsec-tools.conf `spdadd ... 10.1.1.0/24`', status: 'config' },
];

function racoonTunnel(inputs: ProfileInputs, modeCfg: boolean): TunnelOptions {
  return {
    phase1: {
      identity: inputs.identity,
      preSharedKey: inputs.preSharedKey,
      proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 14400 }],
      vendorIds: ['XAUTH', 'CISCO_UNITY', 'NAT_T_RFC3947', 'NAT_T_DRAFT_03', 'NAT_T_DRAFT_02_N', 'NAT_T_DRAFT_02', 'NAT_T_DRAFT_01', 'NAT_T_DRAFT_00'],
      natTraversal: 'on',
      nonceLength: RACOON_NONCE_LENGTH,
      expectedResponderIdentity: { kind: 'ipv4-address', address: '172.16.0.254' },
      message3: { encrypt: false },
    },
    xauth: { credentials: inputs.xauth, behaviour: RACOON_XAUTH },
    modeCfg: racoonModeCfg({ modeCfg, identifier: RACOON_REQUEST_IDENTIFIER }),
    quickMode: {
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      pfsGroup: 2,
      localId: modeCfg ? { kind: 'mode-cfg-address' } : { kind: 'ipv4-address', address: RACOON_HAND_SET_INNER_ADDRESS },
      remoteId: SEED_PROTECTED_NETWORK,
      nonceLength: RACOON_NONCE_LENGTH,
      padding: RACOON_PADDING,
    },
    padding: RACOON_PADDING,
  };
}

export const RACOON_0_7_1: ClientProfile = {
  name: 'racoon-0.7.1',
  client: 'racoon (ipsec-tools) 0.7.1, XAUTH, mode_cfg off, inner address 192.168.100.30 set by hand',
  behaviours: [
    ...COMMON_BEHAVIOURS,
    { aspect: 'mode-cfg', value: 'off: no REQUEST; a pushed SET still gets the empty ACK', source: 'seed racoon.conf `#mode_cfg on;`; `isakmp_cfg_set()`', status: 'config' },
    { aspect: 'Quick Mode IDci', value: '192.168.100.30 (the hand-set inner address)', source: 'seed ipsec-tools.conf `spdadd 192.168.100.30 10.1.1.0/24`', status: 'config' },
  ],
  unexpressed: [],
  tunnel: (inputs) => racoonTunnel(inputs, false),
};

export const RACOON_0_7_1_MODE_CFG: ClientProfile = {
  name: 'racoon-0.7.1-mode-cfg',
  client: 'racoon (ipsec-tools) 0.7.1, XAUTH, mode_cfg on',
  behaviours: [
    ...COMMON_BEHAVIOURS,
    { aspect: 'mode-cfg', value: 'pull after each acknowledged SET: REQUEST of 10 attributes (IPv4 four with 4-byte zero values, Unity, APPLICATION_VERSION)', source: '`isakmp_cfg_set` ends in `isakmp_cfg_getconfig`', status: 'code' },
    { aspect: 'Quick Mode IDci', value: 'the mode-cfg address', source: 'racoon installs the address it was given and builds its policy from it', status: 'inferred' },
  ],
  unexpressed: [],
  tunnel: (inputs) => racoonTunnel(inputs, true),
};
