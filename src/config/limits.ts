/** Limits of the router's command line, shared by the reader and the session. */

/** Command reference §1.5: at most 4,095 half-width characters per command. */
export const MAX_COMMAND_LENGTH = 4095;

/**
 * Tunnel interface and security gateway numbers (tunnel N <-> gateway N) an RTX1500 accepts:
 * 1..100 (ASSUMED, docs/fidelity.md: the RTX1500's real figure was not found).
 */
export const RTX_MAX_TUNNEL_NUMBER = 100;

/** The most `--max-tunnels` accepts (tunnel numbers stay well inside a 32-bit id). */
export const MAX_TUNNELS_OPTION = 1_000_000;

/** Bounds the reader checks values against that an rtxlab option may lift. */
export interface ConfigLimits {
  /**
   * The highest tunnel / security gateway number accepted. RTX_MAX_TUNNEL_NUMBER unless rtxlab's
   * own `--max-tunnels N` (not RTX behaviour) lifts it for load tests.
   */
  readonly maxTunnelNumber: number;
}

export const RTX_CONFIG_LIMITS: ConfigLimits = { maxTunnelNumber: RTX_MAX_TUNNEL_NUMBER };

/** How a refusal at the RTX's tunnel limit names the option that lifts it (the startup report looks for it). */
export const TUNNEL_LIMIT_LIFTED_BY = 'rtxlab option --max-tunnels N lifts it for load tests';

/**
 * A tunnel or gateway number against the limit in force. The detail (for people, never part of
 * the RTX message) names the rtxlab option that lifts the RTX's own bound.
 */
export function tunnelNumberProblem(value: number | undefined, limits: ConfigLimits, what: string): { error: 'parameter-out-of-range'; detail: string } | undefined {
  if (value === undefined || (Number.isInteger(value) && value >= 1 && value <= limits.maxTunnelNumber)) return undefined;
  const lifted = limits.maxTunnelNumber === RTX_MAX_TUNNEL_NUMBER ? `the RTX1500's limit; ${TUNNEL_LIMIT_LIFTED_BY}` : 'rtxlab option --max-tunnels';
  return { error: 'parameter-out-of-range', detail: `${what} must be 1..${limits.maxTunnelNumber} (${lifted})` };
}
