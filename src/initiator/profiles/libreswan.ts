/**
 * libreswan 4.10 (pluto, as Debian 12 ships it: 4.10-2+deb12u1) as an aggressive-mode PSK + XAUTH
 * + mode-cfg client of the RTX. DERIVED, NOT CAPTURED: every knob comes from libreswan's code as
 * read for ../shared/reference/ikev1-notes.md §5 (`ikev1_aggr.c`, `ikev1_xauth.c`, `ikev1.c`, the
 * `modecfgpull` and `ikepad` options) or from the observation recorded there of Debian's build
 * run against an RTX-shaped strongSwan responder; no capture of that run was kept. Where neither
 * says, the value is labelled `assumed`. libreswan's pluto descends from OpenSWAN's: where its
 * XAUTH client is taken to be OpenSWAN's, it says so (`inferred`).
 */
import type { Identity } from '../../ike/codec/index.js';
import { ZERO_PADDING_OR_NONE } from '../../ike/crypto/index.js';
import { ModeCfgAttribute } from '../../ike/constants.js';
import type { ModeCfgBehaviour } from '../mode-cfg.js';
import { OPENSWAN_XAUTH } from './openswan.js';
import { SEED_PROTECTED_NETWORK, type ClientProfile } from './profile.js';

/** ipsec.conf(5) `ikelifetime` and `salifetime` defaults, 8 h (not re-read for 4.10: assumed). */
const LIBRESWAN_LIFE_SECONDS = 28800;

/**
 * The mode-cfg client with `modecfgpull=no` (the default): a SET after XAUTH goes to
 * `modecfg_inI2`, which installs the address and ACKs, with values and padded (the observation:
 * ADDRESS = its view of the peer's subnet, CISCO-SPLIT-INC, 2 zero bytes inside the payload).
 */
export const LIBRESWAN_PUSH_MODE_CFG: ModeCfgBehaviour = {
  onSet: 'accept',
  acceptedAttributes: [ModeCfgAttribute.INTERNAL_IP4_ADDRESS, ModeCfgAttribute.INTERNAL_IP4_NETMASK, ModeCfgAttribute.INTERNAL_IP4_DNS, ModeCfgAttribute.INTERNAL_IP4_NBNS],
  answerIdentifier: 'echo',
  ackAttributes: { kind: 'libreswan-values', peerSubnet: subnetOf(SEED_PROTECTED_NETWORK) },
};

/** `rightsubnet` as the ACK names it: the network of the Quick Mode IDcr. */
function subnetOf(identity: Identity): { address: string; netmask: string } {
  if (identity.kind !== 'ipv4-subnet') throw new Error(`libreswan profile: rightsubnet must be an IPv4 subnet, not ${identity.kind}`);
  return { address: identity.address, netmask: identity.netmask };
}

export const LIBRESWAN_4_10: ClientProfile = {
  name: 'libreswan-4.10',
  client: "libreswan 4.10 (Debian 12's build), aggressive = yes, ike=3des-sha1;modp1536, XAUTH client, mode-cfg client (push); derived from libreswan's code and ikev1-notes §5's observation, not from a capture",
  behaviours: [
    { aspect: 'Phase 1 proposal', value: 'one transform, 3DES/SHA1/MODP1536, XAUTHInitPreShared (65001): Debian\'s build offers no MODP1024, so the closest to the seed router\'s suite is group 5', source: 'ikev1-notes §5 observation ("Debian\'s build offers no MODP-1024: with ike=3des-sha1;modp1536 it proposes group 5 only"); aggressive mode takes one ike= with one group', status: 'inferred' },
    { aspect: 'life', value: 'ISAKMP SA and IPsec SA 28800 s', source: 'ipsec.conf(5) ikelifetime/salifetime defaults (8h), not re-read for 4.10', status: 'assumed' },
    { aspect: 'message 1 Vendor IDs', value: 'XAUTH, DPD, FRAGMENTATION, NAT-T RFC 3947 and draft-02\\n; libreswan\'s own VID not sent by rtxlab', source: 'none read', status: 'assumed' },
    { aspect: 'nonces', value: '32 bytes', source: 'none read', status: 'assumed' },
    { aspect: 'message 3', value: 'encrypted: HDR*, HASH_I (and NAT-D); on UDP 4500 when NAT-T is in use', source: '`ikev1_aggr.c` ("RFC2408 says we must encrypt at this point"); ikev1-notes §5 observation', status: 'code' },
    { aspect: 'padding', value: 'zeros, 0..bs-1 bytes (none when aligned)', source: '`ikev1_main.c` `ikev1_encrypt_message` (ikev1-notes §2)', status: 'code' },
    { aspect: 'NAT-T', value: 'on (RFC 3947), float to 4500 when a NAT is detected', source: 'ikev1-notes §5 observation (message 3 on 4500 with NAT-T)', status: 'inferred' },
    { aspect: 'XAUTH', value: 'as OpenSWAN\'s pluto: REPLY and ACK echo the identifier, XAUTH-TYPE generic echoed, ACK with XAUTH-STATUS TV', source: '`ikev1_xauth.c` `xauth_inI0` / `xauth_inI1` descend from pluto `xauth.c`; encoding details not re-read', status: 'inferred' },
    { aspect: 'mode-cfg', value: 'push (`modecfgpull=no`, the default): the SET goes to `modecfg_inI2`, installed and ACKed with the SET\'s identifier', source: '`ikev1_xauth.c` `modecfg_inI2`; `configs/d.ipsec.conf/modecfgpull.xml` (default no)', status: 'code' },
    { aspect: 'mode-cfg ACK', value: 'with values: INTERNAL_IP4_ADDRESS = 10.1.1.0 (its view of the peer\'s subnet), CISCO-SPLIT-INC 10.1.1.0/24 (14-byte Unity entry), then 2 zero bytes of padding inside the attribute payload (`ikepad=yes`)', source: 'ikev1-notes §5 observation (values, 2 padding bytes; strongSwan refuses the ACK unless `ikepad=no`); the entry layout inferred from the 2 bytes', status: 'inferred' },
    { aspect: 'Quick Mode', value: 'ESP 3DES/HMAC-SHA1, PFS with the Phase 1 group (`pfs=yes` default), life 28800 s; IDci = the mode-cfg address, IDcr = 10.1.1.0/24', source: 'ipsec.conf(5) `pfs=yes` (PFS group = the IKE group), `phase2alg=3des-sha1`, `rightsubnet=10.1.1.0/24` as configured for the seed router', status: 'assumed' },
  ],
  unexpressed: [
    { aspect: 'Phase 1 ID check', value: '`rightid` must equal the responder\'s IDir (an RTX sends ID_IPV4_ADDR of `ipsec ike local address`)', source: 'ikev1-notes §5 observation', needs: 'an IDir check in the initiator' },
    { aspect: 'data path', value: 'Debian\'s pluto cannot install kernel SAs without XFRM; the real client never sends ESP here', source: 'ikev1-notes §5 observation', needs: 'none: rtxlab\'s ESP stands in for it' },
  ],
  pfsFollowsIkeGroup: true,
  cannotOffer: { groups: [2], why: 'Debian 12\'s libreswan 4.10 offers no MODP1024 (ikev1-notes §5); a build with DH2 (modp1024) enabled is needed' },
  tunnel: (inputs) => ({
    phase1: {
      identity: inputs.identity,
      preSharedKey: inputs.preSharedKey,
      proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 5, authMethod: 'xauth-init-pre-shared', lifeSeconds: LIBRESWAN_LIFE_SECONDS }],
      vendorIds: ['XAUTH', 'DPD', 'FRAGMENTATION', 'NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'],
      natTraversal: 'on',
      nonceLength: 32,
      message3: { encrypt: true, padding: ZERO_PADDING_OR_NONE },
    },
    xauth: { credentials: inputs.xauth, behaviour: OPENSWAN_XAUTH },
    modeCfg: LIBRESWAN_PUSH_MODE_CFG,
    quickMode: {
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      lifeSeconds: LIBRESWAN_LIFE_SECONDS,
      pfsGroup: 5,
      localId: { kind: 'mode-cfg-address' },
      remoteId: SEED_PROTECTED_NETWORK,
      nonceLength: 32,
      padding: ZERO_PADDING_OR_NONE,
    },
    padding: ZERO_PADDING_OR_NONE,
  }),
};
