/**
 * What the RTX's initiating side needs to know per security gateway: when it may start a key
 * exchange, with which Phase 1 mode, ID, key and proposals, how it retries and when it rekeys.
 * Built on the responder's `GatewayPolicy` (one reading of the shared settings) plus the
 * commands only an initiator uses (rtx-behaviour.md §4, command reference §15.10-15.13, §15.48).
 */
import { ipsecParams } from '../config/families/ipsec.js';
import type { ConfigModel } from '../config/model.js';
import { ipsecGateways, type IpsecGateway } from '../config/views/index.js';
import { policyFromConfig, type PolicyOptions } from '../ike-responder/policy-from-config.js';
import type { GatewayPolicy } from '../ike-responder/policy.js';

/**
 * The Phase 1 exchange the router starts. On the RTX the mode follows from the IDs: a gateway
 * with `ipsec ike local name` initiates Aggressive Mode, one without initiates Main Mode
 * (chapter 15 intro). Only Aggressive Mode is built so far; Main Mode plugs in as another
 * `Phase1Initiation` (phase1-initiation.ts).
 */
export type InitiatingExchange =
  | { readonly mode: 'aggressive'; readonly localName: string }
  | { readonly mode: 'main' };

/** `ipsec ike retry COUNT INTERVAL [MAX_SESSION]` (§15.13): default 10 5 3 (RTX1500's not confirmed). */
export interface RetrySetting {
  readonly count: number;
  readonly intervalSeconds: number;
  readonly maxSessions: number;
}

export const DEFAULT_RETRY: RetrySetting = { count: 10, intervalSeconds: 5, maxSessions: 3 };

export interface InitiatingGateway {
  /** The settings the responder reads too (key, suite, lifetimes, NAT-T, SA policy, tunnel). */
  readonly gateway: GatewayPolicy;
  /** `ipsec ike remote address GW IP`: the only kind of peer the router can initiate to. */
  readonly peerAddress: string;
  readonly exchange: InitiatingExchange;
  /** `ipsec auto refresh` (global) and `ipsec auto refresh GW` (§15.10): initiate at start and keep SAs up. */
  readonly autoRefresh: boolean;
  /** `ipsec ike always-on GW` (§15.12): after a failed exchange, try again at once instead of pausing. */
  readonly alwaysOn: boolean;
  /** `ipsec ike restrict-dangling-sa GW auto|off` (§15.48.4). */
  readonly restrictDanglingSa: 'auto' | 'off';
  /** `ipsec ike pfs GW on` (§15.30): a KE in Quick Mode, in the gateway's Phase 2 group. */
  readonly pfs: boolean;
  /** `ipsec ike duration isakmp-sa GW S [rekey N%]`: the percentage, or `off`. */
  readonly isakmpRekeyPercent: number | 'off';
  /** `ipsec ike duration ipsec-sa GW S [rekey N%]`. */
  readonly ipsecRekeyPercent: number;
}

export interface InitiatingPolicy {
  /** Gateways the router could initiate to (a fixed remote address, a key, enabled), by id. */
  readonly gateways: readonly InitiatingGateway[];
  readonly retry: RetrySetting;
  /** `syslog debug on`: DPD and keepalive lines are DEBUG. */
  readonly syslogDebug: boolean;
}

/** The initiating side's policy for a config; gateways it can never initiate to are left out. */
export function initiatingPolicyFromConfig(model: ConfigModel, options: PolicyOptions = {}): InitiatingPolicy {
  const views = new Map(ipsecGateways(model).map((view) => [view.gatewayId, view]));
  const responderPolicy = policyFromConfig(model, options);
  const gateways = responderPolicy.gateways.flatMap((gateway) => {
    const view = views.get(gateway.gatewayId);
    return view === undefined ? [] : initiatingGatewayOf(gateway, view);
  });
  return { gateways, retry: retryOf(model), syslogDebug: responderPolicy.syslogDebug };
}

function initiatingGatewayOf(gateway: GatewayPolicy, view: IpsecGateway): InitiatingGateway[] {
  // `remote address any` (or a host name: rtxlab does no DNS) names nobody to send to (§15.15).
  if (!gateway.enabled || gateway.remoteAddress.kind !== 'ip') return [];
  // §15.5: without a key the router does no key exchange at all.
  if (gateway.preSharedKey.kind !== 'text' && gateway.preSharedKey.kind !== 'hex') return [];
  return [
    {
      gateway,
      peerAddress: gateway.remoteAddress.address,
      exchange: view.localName === undefined ? { mode: 'main' } : { mode: 'aggressive', localName: view.localName.name },
      autoRefresh: view.autoRefresh,
      alwaysOn: view.alwaysOn,
      restrictDanglingSa: view.restrictDanglingSa,
      pfs: view.pfs,
      isakmpRekeyPercent: view.isakmpSaLifetime.rekey,
      // The reference allows `off` for the ISAKMP SA only; an IPsec SA always rekeys.
      ipsecRekeyPercent: view.ipsecSaLifetime.rekey === 'off' ? 75 : view.ipsecSaLifetime.rekey,
    },
  ];
}

function retryOf(model: ConfigModel): RetrySetting {
  const command = model.byName('ipsec ike retry')[0];
  if (command === undefined) return DEFAULT_RETRY;
  const retry = ipsecParams(command, 'ipsec ike retry');
  return { count: retry.count, intervalSeconds: retry.intervalSeconds, maxSessions: retry.maxSessions ?? DEFAULT_RETRY.maxSessions };
}
