/**
 * strongSwan 5.9 (charon) as an RTX client: the reference profile. Every knob is what the lab's
 * strongSwan 5.9.8 did on the wire (shared/fixtures/strongswan-push, strongswan-pull) with the
 * lab's swanctl.conf (shared/lab/strongswan-client), except `encap`, left at strongSwan's
 * default (no forced UDP encapsulation).
 */
import { ZERO_PADDING } from '../../ike/crypto/index.js';
import { STRONGSWAN_PULL_MODE_CFG, STRONGSWAN_PUSH_MODE_CFG } from '../mode-cfg.js';
import { STRONGSWAN_PROPOSAL_ENCODING } from '../../ike/initiator/options.js';
import { STRONGSWAN_QUICK_MODE_ENCODING } from '../../ike/initiator/quick-mode.js';
import { STRONGSWAN_XAUTH } from '../xauth.js';
import { SEED_PROTECTED_NETWORK, type ClientProfile } from './profile.js';

/** strongSwan's default IKE_SA life as the capture shows it: rekey 4 h, life 110 % of it (15840 s). */
const STRONGSWAN_IKE_LIFE_SECONDS = 15840;
/** The CHILD_SA life in Quick Mode (capture strongswan-push frame 10): 3960 s. */
const STRONGSWAN_CHILD_LIFE_SECONDS = 3960;

export const STRONGSWAN_5_9: ClientProfile = {
  name: 'strongswan-5.9',
  client: 'strongSwan 5.9 (charon), swanctl aggressive = yes, pull = no, 3des-sha1-modp1024, XAUTH',
  behaviours: [
    { aspect: 'Phase 1 proposal', value: '3DES/SHA1/MODP1024, XAUTHInitPreShared (65001), life 15840 s', source: 'lab swanctl.conf `proposals`; capture strongswan-push frame 1', status: 'verified' },
    { aspect: 'message 1 Vendor IDs', value: 'XAUTH, DPD, FRAGMENTATION, NAT-T RFC 3947, draft-02\\n', source: 'capture strongswan-push frame 1', status: 'verified' },
    { aspect: 'nonces', value: '32 bytes (Phase 1 and Quick Mode)', source: 'capture strongswan-push frames 1, 10', status: 'verified' },
    { aspect: 'message 3', value: 'encrypted: HASH_I, NAT-D, NAT-D; zero padding 1..bs', source: '`aggressive_i_rules` (HASH encr=TRUE); `encrypt_v1`; capture frame 3', status: 'verified' },
    { aspect: 'NAT-T', value: 'RFC 3947, float to 4500 when a NAT is detected (no forced encapsulation)', source: '`isakmp_natd.c` `float_ports`; swanctl default `encap = no`', status: 'code' },
    { aspect: 'XAUTH REPLY / ACK', value: 'REPLY identifier 0; ACK echoes the identifier, XAUTH-STATUS as a 0-length TLV', source: '`tasks/xauth.c`; capture frames 5-7', status: 'verified' },
    { aspect: 'mode-cfg', value: 'push (`pull = no`): a SET is accepted and its ADDRESS (and NETMASK) ACKed with 0-length attributes', source: '`mode_config.c` `accept_push`; capture frames 8-9', status: 'verified' },
    { aspect: 'mode-cfg with --pull', value: 'REQUEST(ADDRESS), identifier 0; a pushed SET answered with an empty REPLY', source: 'capture strongswan-pull frames 8-11', status: 'verified' },
    { aspect: 'Quick Mode', value: 'ESP 3DES/HMAC-SHA1, life 3960 s, no PFS; IDci = the virtual IP, IDcr = 10.1.1.0/24', source: 'lab `esp_proposals = 3des-sha1`, `remote_ts`; capture frame 10', status: 'verified' },
  ],
  unexpressed: [],
  pullModeCfg: STRONGSWAN_PULL_MODE_CFG,
  tunnel: (inputs) => ({
    phase1: {
      identity: inputs.identity,
      preSharedKey: inputs.preSharedKey,
      proposals: [{ encryption: '3des-cbc', hash: 'sha1', group: 2, authMethod: 'xauth-init-pre-shared', lifeSeconds: STRONGSWAN_IKE_LIFE_SECONDS }],
      proposalEncoding: STRONGSWAN_PROPOSAL_ENCODING,
      vendorIds: ['XAUTH', 'DPD', 'FRAGMENTATION', 'NAT_T_RFC3947', 'NAT_T_DRAFT_02_N'],
      natTraversal: 'on',
      nonceLength: 32,
      message3: { encrypt: true, padding: ZERO_PADDING, natDAddresses: 'message-3-datagram' },
    },
    xauth: { credentials: inputs.xauth, behaviour: STRONGSWAN_XAUTH },
    modeCfg: STRONGSWAN_PUSH_MODE_CFG,
    quickMode: {
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      lifeSeconds: STRONGSWAN_CHILD_LIFE_SECONDS,
      localId: { kind: 'mode-cfg-address' },
      remoteId: SEED_PROTECTED_NETWORK,
      nonceLength: 32,
      encoding: STRONGSWAN_QUICK_MODE_ENCODING,
      padding: ZERO_PADDING,
    },
    padding: ZERO_PADDING,
  }),
};
