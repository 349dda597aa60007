/**
 * OpenSWAN 2.6.16 (pluto) as an aggressive-mode PSK client, with and without XAUTH and
 * mode-cfg. The seed quotes `ikev1_aggr.c aggr_inR1_outI2_tail()` ("RFC2408 says we must encrypt
 * at this point"); XAUTH and mode-cfg come from pluto's `xauth.c` of the 2.x line (CVS revision
 * 1.44, read; 2.6.16's own copy not seen) and `ikev1.c`'s state table. The seed does not show
 * the OpenSWAN config: where it matters the values are the ipsec.conf defaults of 2.6 and the
 * seed's router settings (3des-sha1-modp1024), marked as such.
 */
import type { Identity } from '../../ike/codec/index.js';
import { ModeCfgAttribute } from '../../ike/constants.js';
import { ZERO_PADDING_OR_NONE } from '../../ike/crypto/index.js';
import type { ModeCfgBehaviour } from '../mode-cfg.js';
import type { Phase1AuthMethod } from '../../ike/initiator/options.js';
import type { TunnelOptions } from '../tunnel-options.js';
import type { XauthBehaviour } from '../xauth.js';
import { SEED_PROTECTED_NETWORK, type ClientProfile, type DocumentedBehaviour, type ProfileInputs } from './profile.js';

/** pluto's `DEFAULT_NONCE_SIZE`. */
const OPENSWAN_NONCE_LENGTH = 16;

/**
 * pluto's XAUTH client (`xauth_inI0`, `xauth_client_resp`, `xauth_client_ackstatus`): the REPLY
 * takes the REQUEST's identifier and answers its XAUTH-TYPE with TV generic; the ACK takes the
 * SET's identifier and carries XAUTH-STATUS as TV 1 (`attr.isaat_lv = 1`, whatever the SET
 * said: `tv-echo` sends the same bytes on success). A FAIL status ends in STF_FATAL.
 */
export const OPENSWAN_XAUTH: XauthBehaviour = {
  replyIdentifier: 'echo',
  echoXauthType: true,
  ackIdentifier: 'echo',
  ackStatus: 'tv-echo',
  statusSetMustBeAlone: false,
  deleteOnFailure: false,
};

/**
 * pluto's mode-cfg client in push mode (`modecfgpull=no`, the default): a SET after XAUTH goes to
 * `modecfg_inI2`, which installs INTERNAL_IP4_ADDRESS as the client subnet and ACKs the IPv4
 * attributes it knows (`modecfg_resp(..., ISAKMP_CFG_ACK, ...)`) with the SET's identifier.
 */
export function openswanPushModeCfg(peerClient: Identity): ModeCfgBehaviour {
  return {
    ...OPENSWAN_PUSH_MODE_CFG,
    // `modecfg_resp(..., ISAKMP_CFG_ACK, ...)` writes values; ADDRESS is `that.client`'s address.
    ackAttributes: { kind: 'openswan-values', peerClientAddress: identityAddress(peerClient) },
  };
}

/** The address part of pluto's `that.client` (the Quick Mode IDcr): a host or a network address. */
function identityAddress(identity: Identity): string {
  if (identity.kind === 'ipv4-address' || identity.kind === 'ipv4-subnet') return identity.address;
  if (identity.kind === 'ipv4-range') return identity.first;
  throw new Error(`OpenSWAN profile: the peer's client must be IPv4, not ${identity.kind}`);
}

/** The SET handling of `openswanPushModeCfg` without its ACK form (which needs the peer's client). */
export const OPENSWAN_PUSH_MODE_CFG: ModeCfgBehaviour = {
  onSet: 'accept',
  acceptedAttributes: [
    ModeCfgAttribute.INTERNAL_IP4_ADDRESS,
    ModeCfgAttribute.INTERNAL_IP4_NETMASK,
    ModeCfgAttribute.INTERNAL_IP4_DNS,
    ModeCfgAttribute.INTERNAL_IP4_SUBNET,
    ModeCfgAttribute.INTERNAL_IP4_NBNS,
  ],
  answerIdentifier: 'echo',
};

const COMMON_BEHAVIOURS: readonly DocumentedBehaviour[] = [
  { aspect: 'Phase 1 proposal', value: 'one transform, 3DES/SHA1/MODP1024, life 3600 s', source: 'aggressive mode takes one `ike=` with one group (`aggr_outI1`); suite = the seed router\'s; ipsec.conf(5) `ikelifetime` default 1h', status: 'assumed' },
  { aspect: 'message 1 Vendor IDs', value: 'DPD (and XAUTH when an XAUTH client); OpenSWAN\'s own VID not sent by rtxlab', source: 'pluto `aggr_outI1`', status: 'assumed' },
  { aspect: 'nonces', value: '16 bytes', source: 'pluto `DEFAULT_NONCE_SIZE` (from memory of the source, not re-read)', status: 'inferred' },
  { aspect: 'message 3', value: 'encrypted: HDR*, HASH_I', source: '`aggr_inR1_outI2_tail`: "RFC2408 says we must encrypt at this point" (quoted in the seed)', status: 'code' },
  { aspect: 'padding', value: 'zeros up to the block size, none when aligned', source: 'pluto `encrypt_message` (`pad_up`); libreswan keeps it (`ikev1_encrypt_message`)', status: 'code' },
  { aspect: 'NAT-T', value: 'off', source: 'ipsec.conf(5) 2.6 `nat_traversal=no` default', status: 'assumed' },
  { aspect: 'Quick Mode', value: 'ESP 3DES/HMAC-SHA1, PFS with the Phase 1 group, life 28800 s; IDcr = 10.1.1.0/24', source: 'ipsec.conf(5) `pfs=yes`, `keylife=8h` defaults; `rightsubnet=10.1.1.0/24` assumed', status: 'documented' },
];

function openswanTunnel(inputs: ProfileInputs, xauthAndModeCfg: boolean): TunnelOptions {
  const authMethod: Phase1AuthMethod = xauthAndModeCfg ? 'xauth-init-pre-shared' : 'pre-shared-key';
  return {
    phase1: {
      identity: inputs.identity,
      preSharedKey: inputs.preSharedKey,
      proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod, lifeSeconds: 3600 }],
      vendorIds: xauthAndModeCfg ? ['XAUTH', 'DPD'] : ['DPD'],
      natTraversal: 'off',
      nonceLength: OPENSWAN_NONCE_LENGTH,
      message3: { encrypt: true, padding: ZERO_PADDING_OR_NONE },
    },
    ...(xauthAndModeCfg ? { xauth: { credentials: inputs.xauth, behaviour: OPENSWAN_XAUTH }, modeCfg: openswanPushModeCfg(SEED_PROTECTED_NETWORK) } : {}),
    quickMode: {
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      lifeSeconds: 28800,
      pfsGroup: 2,
      localId: xauthAndModeCfg ? { kind: 'mode-cfg-address' } : { kind: 'ipv4-address', address: inputs.localAddress ?? '127.0.0.1' },
      remoteId: SEED_PROTECTED_NETWORK,
      nonceLength: OPENSWAN_NONCE_LENGTH,
      padding: ZERO_PADDING_OR_NONE,
    },
    padding: ZERO_PADDING_OR_NONE,
  };
}

export const OPENSWAN_2_6_16: ClientProfile = {
  name: 'openswan-2.6.16',
  client: 'OpenSWAN 2.6.16, aggressive, PSK, no XAUTH, no mode-cfg',
  behaviours: [
    ...COMMON_BEHAVIOURS,
    { aspect: 'auth method', value: 'pre-shared key (1)', source: 'no `leftxauthclient`: the seed ran it without XAUTH', status: 'config' },
    { aspect: 'Quick Mode IDci', value: 'the host\'s own address', source: 'pluto sends IDci/IDcr when either end has a subnet; without leftsubnet IDci is the host (not re-read)', status: 'inferred' },
  ],
  unexpressed: [],
  tunnel: (inputs) => openswanTunnel(inputs, false),
};

export const OPENSWAN_2_6_16_XAUTH_MODE_CFG: ClientProfile = {
  name: 'openswan-2.6.16-xauth-mode-cfg',
  client: 'OpenSWAN 2.6.16, aggressive, PSK + XAUTH client, mode-cfg client (push)',
  behaviours: [
    ...COMMON_BEHAVIOURS,
    { aspect: 'auth method', value: 'XAUTHInitPreShared (65001)', source: '`leftxauthclient=yes`; `xauth_calcbaseauth`', status: 'code' },
    { aspect: 'XAUTH', value: 'REPLY echoes the identifier and XAUTH-TYPE generic; ACK: identifier echoed, XAUTH-STATUS TV 1', source: '`xauth_inI0`, `xauth_client_resp`, `xauth_client_ackstatus`', status: 'code' },
    { aspect: 'mode-cfg', value: 'push (`modecfgpull=no`): the SET is installed (`modecfg_inI2`) and ACKed with its identifier', source: '`modecfg_inI2`; ipsec.conf(5) `modecfgpull` default no', status: 'code' },
    { aspect: 'mode-cfg ACK', value: 'each ACKed attribute carries a value: ADDRESS = its own view of the peer\'s client address (0 or 4 bytes), NETMASK = 255.255.255.255 (4 bytes); DNS and NBNS left out', source: '`modecfg_resp()` called with ISAKMP_CFG_ACK writes values (`get_internal_addresses`, `mask = 0xffffffff`)', status: 'code' },
    { aspect: 'Quick Mode IDci', value: 'the mode-cfg address (/32)', source: '`modecfg_inI2` sets `spd.this.client` to the address', status: 'code' },
  ],
  unexpressed: [],
  tunnel: (inputs) => openswanTunnel(inputs, true),
};
