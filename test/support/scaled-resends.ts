import type { TunnelTiming } from '../../src/initiator/tunnel-options.js';

/**
 * The router's resend interval scaled down for tests (`responderLimits.retransmitIntervalMs`),
 * and the bundled client's waits scaled with it: its silence after a message 3 outlasts one
 * router resend, its wait for the router's next XAUTH / mode-cfg message the router's whole
 * schedule (10 resends) and some.
 */
export const ROUTER_RESEND_MS = 150;

export const CLIENT_TIMING: TunnelTiming = {
  retransmitTimeoutsMs: [200, 200, 200, 200, 200],
  message3QuietMs: ROUTER_RESEND_MS + 200,
  peerWaitMs: ROUTER_RESEND_MS * 11 + 200,
};
