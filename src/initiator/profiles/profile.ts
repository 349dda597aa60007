/**
 * A client profile: one real IKEv1 client played by the bundled initiator, as the initiator's
 * behaviour knobs set the way that client is known to behave, each with where it is known from.
 * In the spirit of libreswan's `--impair` switches, but named after clients.
 *
 * The rule every profile keeps: a knob comes from the client's code, its captured traffic, its
 * documentation or the configuration the seed shows, never from the outcome the seed observed
 * against the RTX (docs/matrix.md). Where nothing is known the value is labelled `assumed`.
 */
import type { Identity } from '../../ike/codec/index.js';
import type { DhGroupId } from '../../ike/crypto/index.js';
import type { ModeCfgBehaviour } from '../mode-cfg.js';
import type { TunnelOptions } from '../tunnel-options.js';
import type { XauthCredentials } from '../xauth.js';

export const PROFILE_NAMES = [
  'yms-vpn1',
  'vpnc-0.5',
  'racoon-0.7.1',
  'racoon-0.7.1-mode-cfg',
  'openswan-2.6.16',
  'openswan-2.6.16-xauth-mode-cfg',
  'strongswan-5.9',
  'libreswan-4.10',
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * How a behaviour is known: `verified` (captured from the client itself, or run here),
 * `code` (read in the client's source), `config` (the configuration the seed or the lab shows),
 * `documented` (the vendor's documentation), `inferred` (a conclusion from those),
 * `assumed` (nothing known: a stated choice), `hypothesis` (a mechanism chosen to explain an
 * outcome the seed observed without its cause).
 */
export type EvidenceStatus = 'verified' | 'code' | 'config' | 'documented' | 'inferred' | 'assumed' | 'hypothesis';

export interface DocumentedBehaviour {
  /** What the behaviour is about: `message 3`, `mode-cfg SET`, `Quick Mode IDs`... */
  readonly aspect: string;
  /** What this client does, in words. */
  readonly value: string;
  /** Where it is known from: file and function, capture and frame, config line. */
  readonly source: string;
  readonly status: EvidenceStatus;
}

/**
 * A behaviour the client is known to have that the initiator has no knob for yet: the profile
 * cannot play it, so a run of this profile differs from the real client there.
 */
export interface UnexpressedBehaviour {
  readonly aspect: string;
  readonly value: string;
  readonly source: string;
  /** The knob the initiator would need. */
  readonly needs: string;
}

/** What a run supplies whatever the client: who connects, with which secrets. */
export interface ProfileInputs {
  /** IDii; the seed's client sends `myid` (racoon.conf `my_identifier fqdn "myid"`). */
  readonly identity: Identity;
  readonly preSharedKey: Buffer;
  readonly xauth: XauthCredentials;
  /**
   * The address our packets leave from, for profiles whose Quick Mode names the host itself as
   * IDci (OpenSWAN without mode-cfg). Default 127.0.0.1.
   */
  readonly localAddress?: string;
}

export interface ClientProfile {
  readonly name: ProfileName;
  /** The client and the configuration of it this profile plays, in one line. */
  readonly client: string;
  readonly behaviours: readonly DocumentedBehaviour[];
  readonly unexpressed: readonly UnexpressedBehaviour[];
  /** The tunnel options that play the client for these inputs. */
  tunnel(inputs: ProfileInputs): TunnelOptions;
  /** This client's pull mode, when it has one (`--pull`). */
  readonly pullModeCfg?: ModeCfgBehaviour;
  /**
   * Its Quick Mode PFS group is its Phase 1 group (libreswan `pfs=yes`): a Phase 1 override
   * (`--ike`) moves the PFS group with it.
   */
  readonly pfsFollowsIkeGroup?: boolean;
  /** DH groups this build of the client cannot offer, and what it takes to get them (doctor says so with a client fix). */
  readonly cannotOffer?: { readonly groups: readonly DhGroupId[]; readonly why: string };
}

/** The seed's client: racoon.conf and psk.txt of the write-up (`myid`, `PSKEY1`, user1/password). */
export const SEED_CLIENT_INPUTS: ProfileInputs = {
  identity: { kind: 'fqdn', name: 'myid' },
  preSharedKey: Buffer.from('PSKEY1'),
  xauth: { userName: 'user1', password: 'password' },
};

/** The network behind the seed's router (`ip lan1 address 10.1.1.1/24`): the IDcr clients ask for. */
export const SEED_PROTECTED_NETWORK: Identity = { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' };
