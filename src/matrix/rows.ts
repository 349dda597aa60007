/**
 * The seed's table of clients against a real RTX1500 Rev.8.03.75, row by row: which profile plays
 * the client, which router config it met, what the seed observed, and what rtxlab must show for
 * the row to count as reproduced. One row beyond the seed checks the OpenSWAN hypothesis against
 * Yamaha's documented fix (docs/matrix.md).
 */
import type { ProfileName } from '../initiator/profiles/index.js';
import type { TunnelStep } from '../initiator/index.js';
import type { RouterVariant } from './router-configs.js';

/** What a row's run must show. */
export type ExpectedOutcome =
  /** The tunnel comes up: Quick Mode completes. */
  | { readonly kind: 'connects' }
  /** No tunnel, for whatever reason (the seed did not record why). */
  | { readonly kind: 'does-not-connect' }
  /** The router never establishes the ISAKMP SA, and logs this line. */
  | { readonly kind: 'phase1-refused'; readonly routerLog: RegExp }
  /**
   * The router establishes the ISAKMP SA, the tunnel does not come up, and (when given) the client
   * stops at this step, its transcript shows these lines, and this text appears in the router's
   * log or the client's transcript.
   */
  | {
      readonly kind: 'fails-after-phase1';
      readonly step?: Exclude<TunnelStep, 'phase1' | 'established'>;
      readonly transcriptShows?: readonly RegExp[];
      readonly mentions?: RegExp;
    };

export interface MatrixRow {
  readonly id: string;
  /** The client as the seed's table names it. */
  readonly client: string;
  readonly profile: ProfileName;
  readonly router: RouterVariant;
  /** The seed's "observed" column. */
  readonly seedObservation: string;
  readonly expected: ExpectedOutcome;
  /** `seed`: a row of the seed's table; `hypothesis`: a check of a documented mechanism. */
  readonly origin: 'seed' | 'hypothesis';
}

const TYPE_2: RouterVariant = { payloadType3: false };
const TYPE_3: RouterVariant = { payloadType3: true };

export const SEED_MATRIX: readonly MatrixRow[] = [
  {
    id: 'vpnc',
    client: 'vpnc 0.5.1',
    profile: 'vpnc-0.5',
    router: TYPE_2,
    seedObservation: 'cannot connect (the author did not dig further)',
    expected: { kind: 'does-not-connect' },
    origin: 'seed',
  },
  {
    id: 'racoon',
    client: 'racoon 0.7.1, XAUTH, mode_cfg off, inner IP 192.168.100.30 set by hand',
    profile: 'racoon-0.7.1',
    router: TYPE_2,
    seedObservation: 'connects',
    expected: { kind: 'connects' },
    origin: 'seed',
  },
  {
    id: 'racoon-mode-cfg',
    client: 'racoon 0.7.1, XAUTH, mode_cfg on',
    profile: 'racoon-0.7.1-mode-cfg',
    router: TYPE_2,
    seedObservation: 'Unexpected SET attribute INTERNAL_IP4_ADDRESS/NETMASK, ACK sent, no address',
    expected: {
      kind: 'fails-after-phase1',
      step: 'mode-cfg',
      transcriptShows: [/Unexpected SET attribute INTERNAL.IP4.ADDRESS/, /Unexpected SET attribute INTERNAL.IP4.NETMASK/, /-> .*ACK.* mode-cfg ACK/],
    },
    origin: 'seed',
  },
  {
    id: 'openswan',
    client: 'OpenSWAN 2.6.16, no XAUTH, no mode-cfg',
    profile: 'openswan-2.6.16',
    router: TYPE_3,
    seedObservation: 'connects',
    expected: { kind: 'connects' },
    origin: 'seed',
  },
  {
    id: 'openswan-type-2',
    client: 'OpenSWAN 2.6.16 (encrypts message 3)',
    profile: 'openswan-2.6.16',
    router: TYPE_2,
    seedObservation: '`payload malformed : no message`, no SA',
    expected: { kind: 'phase1-refused', routerLog: /payload malformed : no message/ },
    origin: 'seed',
  },
  {
    id: 'openswan-xauth-mode-cfg',
    client: 'OpenSWAN 2.6.16, XAUTH + mode-cfg',
    profile: 'openswan-2.6.16-xauth-mode-cfg',
    router: TYPE_3,
    seedObservation: 'Phase 1 up, later messages MALFORMED',
    expected: { kind: 'fails-after-phase1', mentions: /malformed/i },
    origin: 'seed',
  },
  {
    id: 'yms-vpn1',
    client: "YMS-VPN1 (Yamaha's client)",
    profile: 'yms-vpn1',
    router: TYPE_3,
    seedObservation: 'not tried in the seed (recommended as the safe choice): assumed to connect',
    expected: { kind: 'connects' },
    origin: 'seed',
  },
  {
    id: 'openswan-method-openswan',
    client: 'OpenSWAN 2.6.16, XAUTH + mode-cfg, router with `ipsec ike mode-cfg method 1 set openswan`',
    profile: 'openswan-2.6.16-xauth-mode-cfg',
    router: { payloadType3: true, modeCfgOpenswan: true },
    seedObservation: 'not in the seed: Yamaha later documented this "Openswan compatibility mode"; expected to connect',
    expected: { kind: 'connects' },
    origin: 'hypothesis',
  },
];
