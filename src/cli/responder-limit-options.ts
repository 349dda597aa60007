/**
 * The responder's bounds and schedules as command-line flags of `rtxlab start` and `rtxlab
 * console` (docs/robustness.md). None is an RTX setting: each is marked "rtxlab option" in
 * `--help` with its default, read from DEFAULT_RESPONDER_LIMITS so the help cannot drift from
 * what the responder does. A flag left out leaves the responder's default in force.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_RESPONDER_LIMITS, type ResponderLimits } from '../ike-responder/responder.js';
import type { HalfOpenPeerKey } from '../ike-responder/half-open-admission.js';

/** What the flags parse to (commander's camel-cased names). */
export interface ResponderLimitFlags {
  /** `--resend-interval SECONDS` */
  readonly resendInterval?: number;
  /** `--resend-count N` */
  readonly resendCount?: number;
  /** `--half-open-per-peer N` */
  readonly halfOpenPerPeer?: number;
  /** `--half-open-total N` */
  readonly halfOpenTotal?: number;
  /** `--half-open-time-when-full SECONDS` */
  readonly halfOpenTimeWhenFull?: number;
  /** `--half-open-peer address-port|address` */
  readonly halfOpenPeer?: HalfOpenPeerKey;
  /** `--idle-limit SECONDS` (0: off) */
  readonly idleLimit?: number;
}

const HALF_OPEN_PEER_CHOICES: readonly HalfOpenPeerKey[] = ['address-port', 'address'];

const seconds = (ms: number): string => String(ms / 1000);

export function addResponderLimitOptions(command: Command): Command {
  const defaults = DEFAULT_RESPONDER_LIMITS;
  return command
    .option(
      '--resend-interval <seconds>',
      `rtxlab option: seconds before the router resends its last message of an exchange (Aggressive Mode 2, Quick Mode 2, XAUTH, mode-cfg) (default ${seconds(defaults.retransmitIntervalMs)}, the current reference's \`ipsec ike retry\` default)`,
      parsePositiveSeconds,
    )
    .option('--resend-count <n>', `rtxlab option: how many times the router resends one message before it gives the exchange up (default ${defaults.retransmissions})`, parseCount(0))
    .option('--half-open-per-peer <n>', `rtxlab option: half-open negotiations one peer may hold; at the limit its own oldest gives way (default ${defaults.maxHalfOpenSasPerPeer})`, parseCount(1))
    .option('--half-open-total <n>', `rtxlab option: half-open negotiations in all; when full the oldest gives way (default ${defaults.maxHalfOpenSas})`, parseCount(1))
    .option(
      '--half-open-time-when-full <seconds>',
      `rtxlab option: while the half-open table is full, seconds a half-open negotiation lives (default ${seconds(defaults.halfOpenTimeoutWhenFullMs)})`,
      parsePositiveSeconds,
    )
    .addOption(
      new Option('--half-open-peer <key>', `rtxlab option: what one peer is for --half-open-per-peer: its UDP endpoint, or every port of its address (default ${defaults.halfOpenPeer})`).choices(
        HALF_OPEN_PEER_CHOICES,
      ),
    )
    .option(
      '--idle-limit <seconds>',
      `rtxlab option, not RTX behaviour: remove an established ISAKMP SA (and its IPsec SAs) that heard no IKE nor ESP from its peer for this long; 0 is off (default ${seconds(defaults.idleLimitMs)})`,
      parseNonNegativeSeconds,
    );
}

/** The limits the flags set; only those given, so the responder's defaults fill the rest. */
export function responderLimitsFrom(flags: ResponderLimitFlags): Partial<ResponderLimits> {
  return {
    ...(flags.resendInterval === undefined ? {} : { retransmitIntervalMs: secondsToMs(flags.resendInterval) }),
    ...(flags.resendCount === undefined ? {} : { retransmissions: flags.resendCount }),
    ...(flags.halfOpenPerPeer === undefined ? {} : { maxHalfOpenSasPerPeer: flags.halfOpenPerPeer }),
    ...(flags.halfOpenTotal === undefined ? {} : { maxHalfOpenSas: flags.halfOpenTotal }),
    ...(flags.halfOpenTimeWhenFull === undefined ? {} : { halfOpenTimeoutWhenFullMs: secondsToMs(flags.halfOpenTimeWhenFull) }),
    ...(flags.halfOpenPeer === undefined ? {} : { halfOpenPeer: flags.halfOpenPeer }),
    ...(flags.idleLimit === undefined ? {} : { idleLimitMs: secondsToMs(flags.idleLimit) }),
  };
}

/** Whole milliseconds: fractions of a second are allowed (scaled-down schedules in tests). */
function secondsToMs(value: number): number {
  return Math.round(value * 1000);
}

function parsePositiveSeconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0.001) throw new InvalidArgumentError('must be a number of seconds, at least 0.001.');
  return parsed;
}

function parseNonNegativeSeconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('must be a number of seconds (0: off).');
  return parsed;
}

function parseCount(minimum: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < minimum || !Number.isSafeInteger(parsed)) throw new InvalidArgumentError(`must be a whole number, at least ${minimum}.`);
    return parsed;
  };
}
