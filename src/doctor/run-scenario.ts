/**
 * Runs one scenario in this process: an `RtxRouter` on 127.0.0.1 with ephemeral ports, the
 * config and then the router lines applied, the client(s) against it. What the router did is
 * collected from its typed events only (never from printed text), what the clients did from
 * their session results.
 */
import { runTunnelSession, type TunnelTiming } from '../initiator/index.js';
import { CLIENT_PROFILES, profileTunnel } from '../initiator/profiles/index.js';
import { MATRIX_TIMING } from '../matrix/run-row.js';
import { summarizeSession, type SessionSummary } from '../matrix/session-summary.js';
import type { Identity } from '../ike/codec/index.js';
import { RtxRouter } from '../router/rtx-router.js';
import type { DoctorScenario } from './scenario.js';

/** What the router's events showed during one run. */
export interface RouterEvidence {
  readonly isakmpSasUp: number;
  readonly xauthVerdicts: readonly { readonly user?: string; readonly ok: boolean; readonly reason?: string }[];
  readonly leases: readonly string[];
  readonly tunnelsUp: number;
  /** The most tunnels up at one time (a later client can take over an earlier one's tunnel). */
  readonly mostTunnelsUpAtOnce: number;
  /** `log` events above debug level (the summary lines), in order. */
  readonly logLines: readonly string[];
  /** Exchange names of the IKE messages the router read, in order. */
  readonly messagesIn: readonly { readonly exchange: string; readonly payloads: readonly string[] }[];
}

export interface ScenarioRun {
  /** Every client established Phase 1 through Quick Mode and the router brought a tunnel up for each. */
  readonly connected: boolean;
  /** One per client, in the order they ran (a client after a failed one is not run). */
  readonly sessions: readonly SessionSummary[];
  readonly router: RouterEvidence;
  /** Router lines that did not apply (a fix that is not valid config is no fix). */
  readonly rejectedLines: readonly string[];
}

/** Lets the router log what the client's last messages did before it stops. */
const SETTLE_MS = 150;

export async function runScenario(scenario: DoctorScenario, timing: TunnelTiming = MATRIX_TIMING): Promise<ScenarioRun> {
  const router = await RtxRouter.create({ config: { text: scenario.configText }, bind: '127.0.0.1', ikePort: 0, nattPort: 0 });
  const rejectedLines = scenario.routerLines.filter((line) => {
    const outcome = router.apply(line);
    return outcome.kind === 'error' || outcome.kind === 'warning';
  });
  const evidence = collectEvidence(router);
  const listening = await router.start();
  const sessions: SessionSummary[] = [];
  const openTunnels: { close(): Promise<unknown> }[] = [];
  try {
    for (let index = 0; index < scenario.client.count; index += 1) {
      // Each client from its own loopback address, as separate hosts would be.
      const localAddress = `127.0.0.${index + 1}`;
      const { client } = scenario;
      const built = profileTunnel(CLIENT_PROFILES[client.profile], { ...client.inputs, identity: clientIdentity(client.inputs.identity, index), localAddress }, client.overrides);
      if (!built.ok) throw new Error(`profile ${client.profile}: ${built.text}`);
      const result = await runTunnelSession({
        gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port },
        local: { address: localAddress },
        tunnel: built.options,
        timing,
        whenEstablished: 'keep',
      });
      if (result.outcome === 'established' && result.tunnel) openTunnels.push(result.tunnel);
      const summary = summarizeSession(result);
      sessions.push(summary);
      if (summary.outcome === 'failed') break;
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    await Promise.allSettled(openTunnels.map((tunnel) => tunnel.close()));
    await router.stop();
  }
  const connected = sessions.length === scenario.client.count && sessions.every((session) => session.esp !== undefined) && evidence.mostTunnelsUpAtOnce >= scenario.client.count;
  return { connected, sessions, router: snapshot(evidence), rejectedLines };
}

interface MutableEvidence {
  isakmpSasUp: number;
  xauthVerdicts: { user?: string; ok: boolean; reason?: string }[];
  leases: string[];
  tunnelsUp: number;
  tunnelsUpNow: number;
  mostTunnelsUpAtOnce: number;
  logLines: string[];
  messagesIn: { exchange: string; payloads: string[] }[];
}

function collectEvidence(router: RtxRouter): MutableEvidence {
  const evidence: MutableEvidence = { isakmpSasUp: 0, xauthVerdicts: [], leases: [], tunnelsUp: 0, tunnelsUpNow: 0, mostTunnelsUpAtOnce: 0, logLines: [], messagesIn: [] };
  router.on('isakmp-sa-up', () => (evidence.isakmpSasUp += 1));
  router.on('xauth', (event) => evidence.xauthVerdicts.push({ ...(event.user === undefined ? {} : { user: event.user }), ok: event.ok, ...(event.reason === undefined ? {} : { reason: event.reason }) }));
  router.on('lease', (event) => evidence.leases.push(event.address));
  router.on('tunnel-up', () => {
    evidence.tunnelsUp += 1;
    evidence.tunnelsUpNow += 1;
    evidence.mostTunnelsUpAtOnce = Math.max(evidence.mostTunnelsUpAtOnce, evidence.tunnelsUpNow);
  });
  router.on('tunnel-down', () => (evidence.tunnelsUpNow -= 1));
  router.on('log', (event) => {
    if (event.entry.level !== 'debug') evidence.logLines.push(event.entry.message);
  });
  router.on('ike-message', (event) => {
    if (event.message.direction === 'in') evidence.messagesIn.push({ exchange: event.message.exchange, payloads: event.message.payloads.map((payload) => payload.name) });
  });
  return evidence;
}

function snapshot({ tunnelsUpNow: _now, ...evidence }: MutableEvidence): RouterEvidence {
  return { ...evidence, xauthVerdicts: [...evidence.xauthVerdicts], leases: [...evidence.leases], logLines: [...evidence.logLines], messagesIn: [...evidence.messagesIn] };
}

/**
 * The ID of the client at `index`: the first keeps the given ID, the others append their number
 * (`myid`, `myid2`, `myid3`), the names `tunnel template` gives its tunnels (§15.49.6): several
 * clients are several users, each on a tunnel of its own.
 */
export function clientIdentity(identity: Identity, index: number): Identity {
  if (index === 0 || !('name' in identity)) return identity;
  return { ...identity, name: `${identity.name}${index + 1}` };
}
