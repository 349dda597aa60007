/**
 * YMS-VPN1, Yamaha's own IPsec client for the RTX series (SSH Sentinel / SafeNet based, per the
 * copyright lines of its manual: rtx-behaviour.md §7). Nothing of its code or traffic is public;
 * what is known comes from Yamaha's documentation of the router side it is made for:
 *
 * - the official YMS-VPN1 remote-access example (command reference §15.40) configures XAUTH with
 *   a user group, `ipsec ike mode-cfg address` and `ipsec sa policy 1 1 esp aes-cbc sha-hmac`,
 *   and no `ipsec ike payload type` line, i.e. the default type under which an RTX refuses an
 *   encrypted Aggressive Mode message 3 (rtx-behaviour.md §1): so YMS-VPN1 sends it in clear,
 *   as RFC 2409 §5.4 draws it (`HDR, HASH_I`);
 * - "YMS-VPN1 requires an internal-address notification for XAUTH to work" (§15.38): it takes the
 *   address the router pushes with SET, and needs it.
 *
 * Everything else (Vendor IDs, XAUTH encoding details, nonce length) is assumed, and says so.
 */
import { ZERO_PADDING } from '../../ike/crypto/index.js';
import { STRONGSWAN_PUSH_MODE_CFG } from '../mode-cfg.js';
import type { XauthBehaviour } from '../xauth.js';
import { SEED_PROTECTED_NETWORK, type ClientProfile } from './profile.js';

/**
 * XAUTH as draft-beaulieu-ike-xauth-02 writes it, for want of any capture: the REPLY takes the
 * REQUEST's identifier and repeats XAUTH-TYPE, the ACK takes the SET's identifier with a
 * 0-length XAUTH-STATUS.
 */
export const DRAFT_XAUTH: XauthBehaviour = {
  replyIdentifier: 'echo',
  echoXauthType: true,
  ackIdentifier: 'echo',
  ackStatus: 'empty-tlv',
  statusSetMustBeAlone: false,
  deleteOnFailure: false,
};

export const YMS_VPN1: ClientProfile = {
  name: 'yms-vpn1',
  client: "YMS-VPN1 (Yamaha's client), XAUTH + mode-cfg push, as Yamaha's example configures the router for it",
  behaviours: [
    { aspect: 'Phase 1 proposal', value: '3DES/SHA1/MODP1024 and AES-128/SHA1/MODP1024, XAUTHInitPreShared (65001)', source: 'the RTX defaults `ipsec ike encryption/hash/group` (§15), which the official example leaves as they are; AES as its `ipsec sa policy` uses it', status: 'inferred' },
    { aspect: 'message 3', value: 'in clear (HDR, HASH_I)', source: 'official example has no `ipsec ike payload type` (default type refuses an encrypted message 3); RFC 2409 §5.4 figure', status: 'inferred' },
    { aspect: 'mode-cfg', value: 'push: the SET is accepted and ACKed; the address is required', source: 'command reference §15.38 ("requires an internal-address notification")', status: 'documented' },
    { aspect: 'XAUTH encoding', value: 'draft-literal: identifiers echoed, XAUTH-TYPE repeated, ACK with a 0-length XAUTH-STATUS', source: 'draft-beaulieu-ike-xauth-02', status: 'assumed' },
    { aspect: 'Vendor IDs', value: 'XAUTH, DPD, NAT-T RFC 3947 and draft-02\\n', source: 'none', status: 'assumed' },
    { aspect: 'NAT-T', value: 'on when the router offers it', source: 'SafeNet clients support NAT-T; none specific', status: 'assumed' },
    { aspect: 'Quick Mode', value: 'ESP AES-128/HMAC-SHA1 and 3DES/HMAC-SHA1, no PFS; IDci = the mode-cfg address, IDcr = 10.1.1.0/24', source: 'official example `ipsec sa policy 1 1 esp aes-cbc sha-hmac`, `ipsec ike pfs` default off; the seed\'s LAN', status: 'inferred' },
  ],
  unexpressed: [],
  tunnel: (inputs) => ({
    phase1: {
      identity: inputs.identity,
      preSharedKey: inputs.preSharedKey,
      proposals: [
        { encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 28800 },
        { encryption: 'aes128-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: 28800 },
      ],
      vendorIds: ['XAUTH', 'DPD', 'NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'],
      natTraversal: 'on',
      message3: { encrypt: false },
    },
    xauth: { credentials: inputs.xauth, behaviour: DRAFT_XAUTH },
    modeCfg: STRONGSWAN_PUSH_MODE_CFG,
    quickMode: {
      proposals: [
        { encryption: 'aes128-cbc', integrity: 'hmac-sha1-96' },
        { encryption: '3des-cbc', integrity: 'hmac-sha1-96' },
      ],
      lifeSeconds: 28800,
      localId: { kind: 'mode-cfg-address' },
      remoteId: SEED_PROTECTED_NETWORK,
    },
    padding: ZERO_PADDING,
  }),
};
