/**
 * vpnc 0.5 with its defaults and the seed's settings (gateway, ID myid, secret, user1). The seed
 * ran 0.5.1 without a log; what is known of vpnc comes from 0.5.3 (code read, and run here:
 * shared/fixtures/vpnc-0.5.3). The message flow of `vpnc.c` (`do_phase1_am`, `do_phase2_xauth`,
 * `do_phase2_config`, `do_phase2_qm`) is the same in 0.5.1, so 0.5.3's wire forms are used,
 * with 0.5.1's algorithm list: the seed quotes its help text, where single DES and NULL are
 * bracketed (off unless enabled at build or run time; 0.5.3 enables them with
 * `Enable weak encryption`, which the capture used).
 */
import { hostname } from 'node:os';
import type { CipherId } from '../../ike/crypto/index.js';
import { ZERO_PADDING_OR_NONE } from '../../ike/crypto/index.js';
import { vpncModeCfg } from '../mode-cfg.js';
import type { Phase1AuthMethod, Phase1ProposalSpec } from '../../ike/initiator/options.js';
import { VPNC_QUICK_MODE_ENCODING, type EspProposalSpec } from '../../ike/initiator/quick-mode.js';
import { VPNC_XAUTH } from '../xauth.js';
import type { ClientProfile } from './profile.js';

/** vpnc asks for a 2147483 s lifetime in both phases, as a 4-byte TLV (capture vpnc-0.5.3 frame 1). */
export const VPNC_LIFE_SECONDS = 2147483;

/** 0.5.1's default ciphers in vpnc's order (strongest first), as `vpnc --long-help` lists them in the seed. */
const VPNC_CIPHERS: readonly CipherId[] = ['aes256-cbc', 'aes192-cbc', 'aes128-cbc', '3des-cbc'];

/**
 * `make_our_sa_ike`: for each auth method (XAUTH first), each cipher, each hash (SHA1 before
 * MD5), one transform; 16 in one proposal (24 in the 0.5.3 capture with DES and NULL).
 */
export function vpncPhase1Proposals(): Phase1ProposalSpec[] {
  const methods: readonly Phase1AuthMethod[] = ['xauth-init-pre-shared', 'pre-shared-key'];
  return methods.flatMap((authMethod) =>
    VPNC_CIPHERS.flatMap((encryption) =>
      (['sha1', 'md5'] as const).map((hash) => ({ encryption, hash, group: 2 as const, authMethod, lifeSeconds: VPNC_LIFE_SECONDS })),
    ),
  );
}

/** `make_our_sa_ipsec`: the same ciphers and hashes, one proposal per transform. */
export function vpncEspProposals(): EspProposalSpec[] {
  return VPNC_CIPHERS.flatMap((encryption) => (['hmac-sha1-96', 'hmac-md5-96'] as const).map((integrity) => ({ encryption, integrity })));
}

/**
 * The 16-byte Vendor ID vpnc repeats in message 3 after N(INITIAL-CONTACT) (capture frame 3).
 * Its value differs per run; rtxlab sends a fixed one: no RTX rule can depend on it.
 */
const VPNC_MESSAGE3_VENDOR_ID = Buffer.from('vpnc-0.5-message3', 'utf8').subarray(0, 16);

/** `APPLICATION_VERSION` as vpnc writes it: "Cisco Systems VPN Client <version>:<os>" (capture frame 8). */
const VPNC_APPLICATION_VERSION = 'Cisco Systems VPN Client 0.5.1:Linux';

export const VPNC_0_5: ClientProfile = {
  name: 'vpnc-0.5',
  client: 'vpnc 0.5.1 (defaults: Vendor cisco, NAT Traversal Mode natt, IKE DH Group dh2, Perfect Forward Secrecy server)',
  behaviours: [
    { aspect: 'Phase 1 proposal', value: '16 transforms: AES-256/192/128, 3DES x SHA1, MD5 x XAUTHInitPreShared, PSK; MODP1024; life 2147483 s (4-byte TLV); numbered from 0, KEY_LENGTH first', source: '`make_our_sa_ike`; seed `vpnc --long-help`; capture vpnc-0.5.3 frame 1', status: 'verified' },
    { aspect: 'ID', value: 'ID_KEY_ID when run with `IPSec ID`; the seed did not say which ID type 0.5.1 used', source: 'capture vpnc-0.5.3 frame 1', status: 'verified' },
    { aspect: 'message 1 Vendor IDs', value: 'XAUTH, Cisco Unity, NAT-T RFC 3947 and drafts 03, 02\\n, 02, 01, 00, DPD', source: 'capture vpnc-0.5.3 frame 1', status: 'verified' },
    { aspect: 'nonces', value: '20 bytes', source: 'capture vpnc-0.5.3 frame 1', status: 'verified' },
    { aspect: 'message 3', value: 'encrypted: HASH_I, N(INITIAL-CONTACT), VID, VID(Unity), NAT-D x2 hashing the Phase 1 addresses', source: '`do_phase1_am_packet3`; capture frame 3', status: 'verified' },
    { aspect: 'padding', value: 'zeros to the next block boundary; no aligned message was seen, so none added then is assumed', source: 'capture vpnc-0.5.3 frames 3-11 (decrypted)', status: 'verified' },
    { aspect: 'XAUTH', value: 'REPLY echoes the identifier; the status SET must hold exactly one TV XAUTH-STATUS; ACK is the SET echoed', source: '`do_phase2_xauth`; capture frames 4-7', status: 'verified' },
    { aspect: 'mode-cfg', value: 'pull only: REQUEST of 13 attributes, identifier 20; a pushed SET is refused with N(INVALID-MESSAGE-ID), then the SA deleted', source: '`do_phase2_config`; capture frames 8-11', status: 'verified' },
    { aspect: 'Quick Mode', value: 'one proposal per transform (AES/3DES x SHA1/MD5), nonce 20, IDci = the mode-cfg address, IDcr = 0.0.0.0/0, no PFS unless the gateway says so', source: '`do_phase2_qm`, `make_our_sa_ipsec`', status: 'code' },
  ],
  unexpressed: [
    { aspect: 'message 3 Vendor ID', value: 'a per-session 16-byte Vendor ID', source: 'capture vpnc-0.5.3 frame 3', needs: 'none: a fixed value is sent instead' },
  ],
  tunnel: (inputs) => ({
    phase1: {
      identity: inputs.identity,
      preSharedKey: inputs.preSharedKey,
      proposals: vpncPhase1Proposals(),
      proposalEncoding: { firstNumber: 0, keyLengthFirst: true, lifeDuration: 'four-byte' },
      vendorIds: ['XAUTH', 'CISCO_UNITY', 'NAT_T_RFC3947', 'NAT_T_DRAFT_03', 'NAT_T_DRAFT_02_N', 'NAT_T_DRAFT_02', 'NAT_T_DRAFT_01', 'NAT_T_DRAFT_00', 'DPD'],
      natTraversal: 'on',
      nonceLength: 20,
      message3: {
        encrypt: true,
        padding: ZERO_PADDING_OR_NONE,
        initialContact: true,
        vendorIds: [VPNC_MESSAGE3_VENDOR_ID, 'CISCO_UNITY'],
        natDAddresses: 'phase1-exchange',
      },
    },
    xauth: { credentials: inputs.xauth, behaviour: VPNC_XAUTH },
    modeCfg: vpncModeCfg(VPNC_APPLICATION_VERSION, hostname()),
    quickMode: {
      proposals: vpncEspProposals(),
      lifeSeconds: VPNC_LIFE_SECONDS,
      localId: { kind: 'mode-cfg-address' },
      remoteId: { kind: 'ipv4-subnet', address: '0.0.0.0', netmask: '0.0.0.0' },
      nonceLength: 20,
      encoding: VPNC_QUICK_MODE_ENCODING,
      padding: ZERO_PADDING_OR_NONE,
    },
    padding: ZERO_PADDING_OR_NONE,
  }),
};
