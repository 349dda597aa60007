/**
 * What the full-tunnel client is told to do after Phase 1: who it is to XAUTH, how it takes
 * its mode-cfg address, what Quick Mode offers, and how long it waits for the gateway.
 */
import { ZERO_PADDING, type PaddingPolicy } from '../ike/crypto/index.js';
import type { ModeCfgBehaviour } from './mode-cfg.js';
import { checkInitiatorOptions, type InitiatorOptions } from '../ike/initiator/options.js';
import { DEFAULT_PHASE1_TIMING, RTX_RESEND_SCHEDULE, type Phase1Timing } from './phase1-machine.js';
import { checkQuickModeOptions, type QuickModeOptions } from '../ike/initiator/quick-mode.js';
import { STRONGSWAN_XAUTH, type XauthBehaviour, type XauthCredentials } from './xauth.js';

export interface TunnelTiming extends Phase1Timing {
  /**
   * How long to wait for the gateway's next XAUTH or mode-cfg message (it drives those
   * exchanges; we only answer). `retransmitTimeoutsMs` also paces our own mode-cfg REQUEST and
   * Quick Mode message 1. `message3QuietMs` is also the wait after Quick Mode message 3 before
   * the tunnel counts as confirmed.
   */
  readonly peerWaitMs: number;
}

/**
 * The default waits cover the gateway's whole resend schedule: a SET or REQUEST lost on every
 * send but the last still arrives before we give up (10 s, the old default, was exactly two of
 * the RTX's 5 s intervals: two losses in a row failed the connect).
 */
export const DEFAULT_TUNNEL_TIMING: TunnelTiming = {
  ...DEFAULT_PHASE1_TIMING,
  peerWaitMs: RTX_RESEND_SCHEDULE.intervalMs * (RTX_RESEND_SCHEDULE.retransmissions + 1),
};

export interface TunnelOptions {
  readonly phase1: InitiatorOptions;
  /** Needed when Phase 1 offers XAUTHInitPreShared (65001). */
  readonly xauth?: { readonly credentials: XauthCredentials; readonly behaviour?: XauthBehaviour };
  /** Absent: no mode-cfg at all (racoon without `mode_cfg`, a hand-set inner address). */
  readonly modeCfg?: ModeCfgBehaviour;
  /** Absent: stop once mode-cfg is done (an XAUTH-only check). */
  readonly quickMode?: QuickModeOptions;
  /** Padding of our Transaction and Informational messages; default strongSwan's. */
  readonly padding?: PaddingPolicy;
  /** XAUTH REQUEST rounds answered before giving up (a gateway asking again means it refused). Default 3. */
  readonly maxXauthRounds?: number;
  /** Resends of Quick Mode message 3 when message 2 comes again (before or after confirmation). Default 3. */
  readonly maxQuickMode3Resends?: number;
  /**
   * The gateway's DPD R-U-THERE under the ISAKMP SA: `answer` (default: every client of the seed
   * matrix announces DPD and answers it) or `ignore` (a client that never answers: the router's
   * DPD then takes the tunnel down).
   */
  readonly dpd?: 'answer' | 'ignore';
}

export interface ResolvedTunnelOptions extends TunnelOptions {
  readonly xauth?: { readonly credentials: XauthCredentials; readonly behaviour: XauthBehaviour };
  readonly padding: PaddingPolicy;
  readonly maxXauthRounds: number;
  readonly maxQuickMode3Resends: number;
}

export function resolveTunnelOptions(options: TunnelOptions): ResolvedTunnelOptions {
  const problems = checkTunnelOptions(options);
  if (problems.length > 0) throw new RangeError(`invalid tunnel options: ${problems.join('; ')}`);
  const { xauth, ...rest } = options;
  return {
    ...rest,
    ...(xauth ? { xauth: { credentials: xauth.credentials, behaviour: xauth.behaviour ?? STRONGSWAN_XAUTH } } : {}),
    padding: options.padding ?? ZERO_PADDING,
    maxXauthRounds: options.maxXauthRounds ?? 3,
    maxQuickMode3Resends: options.maxQuickMode3Resends ?? 3,
  };
}

/** Every reason the options cannot make a tunnel; empty when they can. */
export function checkTunnelOptions(options: TunnelOptions): string[] {
  const problems = checkInitiatorOptions(options.phase1);
  if (options.phase1.proposals.some((proposal) => proposal.authMethod === 'xauth-init-pre-shared') && !options.xauth) {
    problems.push('Phase 1 offers XAUTH and no XAUTH credentials are given');
  }
  if (options.quickMode) {
    problems.push(...checkQuickModeOptions(options.quickMode));
    if (options.quickMode.localId?.kind === 'mode-cfg-address' && !options.modeCfg) problems.push('IDci is the mode-cfg address, and mode-cfg is off');
  }
  const rounds = options.maxXauthRounds ?? 3;
  if (!Number.isInteger(rounds) || rounds < 1) problems.push(`maxXauthRounds ${rounds} is not a positive integer`);
  return problems;
}

/** Whether the tunnel cannot do without a mode-cfg address (Quick Mode sends it as IDci). */
export function needsModeCfgAddress(options: TunnelOptions): boolean {
  return options.quickMode?.localId?.kind === 'mode-cfg-address';
}
