/**
 * What the bundled initiator is told to do: identity, key, proposals, vendor IDs, NAT-T, and
 * how it writes the messages whose form differs between real clients. A client profile
 * (yms-vpn1, vpnc-0.5, racoon-0.7.1, openswan-2.6.16) is one value of these types, each field
 * taken from what is known of that client (ikev1-notes.md §3, §5), never from an expected outcome.
 */
import { AuthMethod, EncryptionAlgorithm, HashAlgorithm, type VendorIdName } from '../constants.js';
import { identityData, type Identity } from '../codec/index.js';
import {
  CIPHER_SPECS,
  ZERO_PADDING,
  type CipherId,
  type DhGroupId,
  type HashId,
  type PaddingPolicy,
} from '../crypto/index.js';

/** Phase 1 authentication: plain PSK (1) or PSK followed by XAUTH with us as its client (65001). */
export type Phase1AuthMethod = 'pre-shared-key' | 'xauth-init-pre-shared';

/** One Phase 1 transform to offer (RFC 2409 Appendix A), in the crypto module's names. */
export interface Phase1ProposalSpec {
  readonly encryption: CipherId;
  readonly hash: HashId;
  readonly group: DhGroupId;
  readonly authMethod: Phase1AuthMethod;
  readonly lifeSeconds?: number;
}

/**
 * How the SA payload of message 1 is written. Responders match attributes by type, so none of
 * this should matter, which is exactly why a profile must be able to vary it: vpnc numbers its
 * proposal and transforms from 0, puts KEY_LENGTH before ENCRYPTION (hwdsl2/setup-ipsec-vpn
 * #366) and sends the life duration as a 4-byte TLV; strongSwan numbers from 1, writes the
 * shortest form and orders encryption, hash, group, auth, life.
 */
export interface ProposalEncoding {
  readonly firstNumber: 0 | 1;
  readonly keyLengthFirst: boolean;
  readonly lifeDuration: 'shortest' | 'four-byte';
}

/** A Vendor ID to send: a well-known one by name, or raw bytes (vpnc's per-session VID). */
export type VendorIdSpec = VendorIdName | Buffer;

/**
 * `off`: no NAT-D and no floating, whatever the VIDs say. `on`: NAT-D when both sides sent a
 * NAT-T VID, float to 4500 when a NAT is detected (RFC 3947 §4). `force`: always float and make
 * the peer see a NAT by a NAT-D that matches no address (strongSwan `encap = yes`, vpnc
 * `force-natt`).
 */
export type NatTraversalMode = 'off' | 'on' | 'force';

/** Which address pair the NAT-D payloads of message 3 hash; the captures show both. */
export type Message3NatDAddresses =
  /** The addresses of messages 1 and 2 (port 500 even when message 3 floats): vpnc 0.5.3. */
  | 'phase1-exchange'
  /** The addresses message 3 itself travels on (4500 after floating): strongSwan 5.9. */
  | 'message-3-datagram';

/** How message 3 (`HDR[*], HASH_I [, N] [, VID...] [, NAT-D, NAT-D]`) is written. */
export interface Aggressive3Options {
  /**
   * RFC 2409 §5 lets the final message go in clear ("MAY NOT be sent under protection");
   * racoon sends it clear, strongSwan, libreswan/OpenSWAN and vpnc encrypt it, and the RTX's
   * payload type rules hinge on which (rtx-behaviour.md §1).
   */
  readonly encrypt: boolean;
  /** Encryption padding; only used when `encrypt`. Default: strongSwan's (1..bs zero bytes). */
  readonly padding?: PaddingPolicy;
  /** N(INITIAL-CONTACT) after HASH_I, as vpnc sends it. Default false. */
  readonly initialContact?: boolean;
  /** Vendor IDs after the notify (vpnc repeats Unity and a per-session VID here). Default none. */
  readonly vendorIds?: readonly VendorIdSpec[];
  /** NAT-D payloads last, when NAT-T was negotiated (RFC 3947 §3.2). Default true. */
  readonly includeNatD?: boolean;
  /** Default 'message-3-datagram'. */
  readonly natDAddresses?: Message3NatDAddresses;
}

export interface InitiatorOptions {
  /** IDii: what the RTX matches against `ipsec ike remote name` (any ID type, same string). */
  readonly identity: Identity;
  readonly preSharedKey: Buffer;
  /**
   * Offered as transforms of one proposal, in this order. Aggressive Mode sends KE with
   * message 1, so every transform must use the same DH group.
   */
  readonly proposals: readonly Phase1ProposalSpec[];
  readonly proposalEncoding?: Partial<ProposalEncoding>;
  /** Sent in message 1 after the ID payload, in this order. */
  readonly vendorIds: readonly VendorIdSpec[];
  readonly natTraversal: NatTraversalMode;
  /** Ni length in bytes: strongSwan 32, vpnc 20; RFC 2409 §5 allows 8..256. Default 32. */
  readonly nonceLength?: number;
  /** When given, an IDir that differs is a failure (racoon `peers_identifier` + verify). */
  readonly expectedResponderIdentity?: Identity;
  readonly message3: Aggressive3Options;
  /**
   * Phase 1 exchange: Aggressive Mode (default; the RTX's remote-access form) or Main Mode (RFC
   * 2409 §5, the RTX's site-to-site form, chosen by our address). Under Main Mode `message3`
   * describes message 5 (`HDR*, IDii, HASH_I [, N(INITIAL-CONTACT)]`): its padding and
   * INITIAL-CONTACT apply, `encrypt` does not (message 5 is always encrypted).
   */
  readonly exchangeMode?: ExchangeMode;
}

export type ExchangeMode = 'aggressive' | 'main';

/** The RTX seed config's suite: `ipsec ike encryption 1 3des-cbc`, `hash 1 sha`, `group 1 modp1024`. */
export const SEED_PROPOSAL: Phase1ProposalSpec = {
  encryption: '3des-cbc',
  hash: 'sha1',
  group: 2,
  authMethod: 'xauth-init-pre-shared',
  lifeSeconds: 28800,
};

export const STRONGSWAN_PROPOSAL_ENCODING: ProposalEncoding = { firstNumber: 1, keyLengthFirst: false, lifeDuration: 'shortest' };

export const DEFAULT_NONCE_LENGTH = 32;

/** Options with every default filled in: what the builders actually use. */
export interface ResolvedInitiatorOptions extends InitiatorOptions {
  readonly proposalEncoding: ProposalEncoding;
  readonly nonceLength: number;
  readonly message3: ResolvedAggressive3Options;
}

export type ResolvedAggressive3Options = Required<Aggressive3Options>;

export function resolveAggressive3Options(options: Aggressive3Options): ResolvedAggressive3Options {
  return {
    encrypt: options.encrypt,
    padding: options.padding ?? ZERO_PADDING,
    initialContact: options.initialContact ?? false,
    vendorIds: options.vendorIds ?? [],
    includeNatD: options.includeNatD ?? true,
    natDAddresses: options.natDAddresses ?? 'message-3-datagram',
  };
}

/** Fills in defaults and checks the options; throws RangeError listing every problem. */
export function resolveInitiatorOptions(options: InitiatorOptions): ResolvedInitiatorOptions {
  const problems = checkInitiatorOptions(options);
  if (problems.length > 0) throw new RangeError(`invalid initiator options: ${problems.join('; ')}`);
  return {
    ...options,
    proposalEncoding: { ...STRONGSWAN_PROPOSAL_ENCODING, ...options.proposalEncoding },
    nonceLength: options.nonceLength ?? DEFAULT_NONCE_LENGTH,
    message3: resolveAggressive3Options(options.message3),
  };
}

/** Every reason the options cannot make a message 1; empty when they can. */
export function checkInitiatorOptions(options: InitiatorOptions): string[] {
  const problems: string[] = [];
  try {
    identityData(options.identity);
  } catch (error) {
    problems.push(`the identity cannot be sent: ${(error as Error).message}`);
  }
  if (options.preSharedKey.length === 0) problems.push('the pre-shared key is empty');
  if (options.proposals.length === 0) problems.push('no proposal to offer');
  // The transform count is one byte (RFC 2408 §3.5), the numbers one byte each.
  if (options.proposals.length > 255) problems.push(`${options.proposals.length} transforms, at most 255 fit a proposal`);
  const groups = new Set(options.proposals.map((proposal) => proposal.group));
  // Main Mode sends KE after the choice (message 3), so only Aggressive Mode needs one group.
  if (groups.size > 1 && options.exchangeMode !== 'main') {
    problems.push(`Aggressive Mode sends one KE, but the transforms use groups ${[...groups].join(', ')}`);
  }
  for (const proposal of options.proposals) {
    const life = proposal.lifeSeconds;
    if (life !== undefined && (!Number.isInteger(life) || life < 1 || life > 0xffffffff)) {
      problems.push(`life ${life} s is not a 32-bit count of seconds`);
    }
  }
  const nonceLength = options.nonceLength ?? DEFAULT_NONCE_LENGTH;
  if (!Number.isInteger(nonceLength) || nonceLength < 8 || nonceLength > 256) {
    problems.push(`nonce length ${nonceLength} is outside RFC 2409's 8..256 bytes`);
  }
  return problems;
}

// --- wire numbers of a proposal ----------------------------------------------------------------

/** The Encryption Algorithm (and, for AES, Key Length in bits) attributes of a cipher. */
export function encryptionAttributes(cipher: CipherId): { encryption: number; keyLength?: number } {
  switch (cipher) {
    case 'des-cbc':
      return { encryption: EncryptionAlgorithm.DES_CBC };
    case '3des-cbc':
      return { encryption: EncryptionAlgorithm.TRIPLE_DES_CBC };
    case 'aes128-cbc':
    case 'aes192-cbc':
    case 'aes256-cbc':
      return { encryption: EncryptionAlgorithm.AES_CBC, keyLength: CIPHER_SPECS[cipher].keyLength * 8 };
  }
}

export function hashAttribute(hash: HashId): number {
  switch (hash) {
    case 'md5':
      return HashAlgorithm.MD5;
    case 'sha1':
      return HashAlgorithm.SHA;
    case 'sha256':
      return HashAlgorithm.SHA2_256;
  }
}

export function authMethodAttribute(method: Phase1AuthMethod): number {
  return method === 'pre-shared-key' ? AuthMethod.PRE_SHARED_KEY : AuthMethod.XAUTH_INIT_PRE_SHARED;
}

// --- text forms (what a command line or a profile file gives) ---------------------------------

/**
 * A pre-shared key as the RTX writes it (`ipsec ike pre-shared-key N text|0x...`): `0x`
 * followed by an even number of hex digits is binary, anything else is the text's bytes.
 */
export function parsePreSharedKey(text: string): Buffer {
  const hex = /^0x((?:[0-9a-f]{2})+)$/i.exec(text);
  return hex ? Buffer.from(hex[1]!, 'hex') : Buffer.from(text, 'utf8');
}

export type IdentityTypeName = 'fqdn' | 'key-id' | 'user-fqdn' | 'ipv4';

/** The identity `--id ID --id-type TYPE` names; throws RangeError on an IPv4 that is not one. */
export function identityFromText(id: string, type: IdentityTypeName): Identity {
  switch (type) {
    case 'fqdn':
      return { kind: 'fqdn', name: id };
    case 'user-fqdn':
      return { kind: 'user-fqdn', name: id };
    case 'key-id':
      return { kind: 'key-id', keyId: Buffer.from(id, 'utf8') };
    case 'ipv4':
      return { kind: 'ipv4-address', address: id };
  }
}
