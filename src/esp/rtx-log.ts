import type { InboundDropReason } from './inbound-sa.js';

/**
 * The RTX debug line for an anti-replay drop. The command reference (§15.48.2, `ipsec sa
 * policy ... anti-replay-check=on`) names two lines for packets dropped for duplicate or
 * out-of-order sequence numbers without saying which is which; here a number behind the window
 * (too far from the highest seen) is the "difference", and a duplicate or 0 is "wrong".
 * Other drops have no known RTX wording: undefined, the router words them itself.
 */
export function rtxDebugLineForDrop(reason: InboundDropReason): string | undefined {
  switch (reason) {
    case 'too-old':
      return '[IPSEC] sequence difference';
    case 'replayed':
    case 'sequence-zero':
      return '[IPSEC] sequence number is wrong';
    default:
      return undefined;
  }
}
