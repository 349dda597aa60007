/**
 * The smallest changes that could get a client past a stopping point, on the router (config
 * lines, applied with `RtxRouter.apply` on a fresh router) or on the client (a profile override,
 * another key or password, the profile's other mode), in the order doctor tries them. Doctor
 * keeps a fix only when a re-run with it applied gets further (doctor.ts): nothing here is taken
 * on trust.
 */
import { formatIdentity } from '../ike/codec/index.js';
import type { CipherId, DhGroupId, HashId } from '../ike/crypto/index.js';
import type { IkeEncryptionSetting, IkeGroupSetting, IkeHashSetting } from '../ike-responder/policy.js';
import { CLIENT_PROFILES, profileTunnel, type IkeSuite } from '../initiator/profiles/index.js';
import { gatewayForId, type RouterSettings } from './router-settings.js';
import type { ClientSetup, DoctorScenario } from './scenario.js';
import type { StoppingPoint } from './stopping-point.js';

export type Fix =
  | { readonly side: 'router'; readonly lines: readonly string[]; readonly why: string }
  /** `change` says what to set in the real client, in its own terms (`pull = no`). */
  | { readonly side: 'client'; readonly change: string; readonly client: ClientSetup; readonly why: string };

export type FixProposal =
  | { readonly kind: 'candidates'; readonly fixes: readonly Fix[] }
  /** Nothing on either side that rtxlab can play makes it connect; what people did instead. */
  | { readonly kind: 'none'; readonly why: string; readonly workaround: string };

export function applyFix(scenario: DoctorScenario, fix: Fix): DoctorScenario {
  return fix.side === 'router' ? { ...scenario, routerLines: [...scenario.routerLines, ...fix.lines] } : { ...scenario, client: fix.client };
}

export function proposeFixes(point: StoppingPoint, scenario: DoctorScenario, settings: RouterSettings): FixProposal {
  const { client } = scenario;
  const idText = formatIdentity(client.inputs.identity);
  const gateway = gatewayForId(settings, idText);
  const gw = gateway?.gatewayId ?? 1;
  const underTunnel = (...lines: string[]) => [`tunnel select ${gateway?.tunnelId ?? gw}`, ...lines];
  const candidates = (...fixes: (Fix | undefined)[]): FixProposal => ({ kind: 'candidates', fixes: fixes.filter((fix): fix is Fix => fix !== undefined) });
  switch (point.kind) {
    case 'connected':
    case 'no-answer':
    case 'quick-mode-refused':
    case 'unrecognised':
      return candidates();
    case 'unknown-id':
      if (client.count > 1 && gateway) {
        return candidates({ side: 'router', lines: underTunnel(`tunnel template ${templateTargets(gateway.tunnelId, client.count)}`), why: `one tunnel per client: \`tunnel template\` copies tunnel ${gateway.tunnelId} and names each copy's peer ${gateway.remoteName ?? 'ID'}N (§15.49.6)` });
      }
      return candidates(
        { side: 'router', lines: underTunnel(`ipsec ike remote name ${gw} ${point.id}`), why: `no gateway names the client's ID "${point.id}"` },
        gateway?.remoteName === undefined ? undefined : { side: 'client', change: `ID (FQDN) ${gateway.remoteName}`, client: { ...client, inputs: { ...client.inputs, identity: { kind: 'fqdn', name: gateway.remoteName } } }, why: `the router expects ID "${gateway.remoteName}"` },
      );
    case 'phase1-no-proposal-chosen': {
      if (!gateway) return candidates();
      const routerSuite = `${gateway.encryption} ${gateway.hash} ${gateway.group}`;
      const offered = clientProposals(client);
      const closest = closestOffer(offered, gateway);
      const clientSuite = ikeSuiteOf(gateway.encryption, gateway.hash, gateway.group);
      return candidates(
        closest && closest.lines.length > 0 ? { side: 'router', lines: underTunnel(...closest.lines.map((line) => line.replace('GW', String(gw)))), why: `the client offers ${offered.map(describeSuite).join(', ')}; the router takes only ${routerSuite}` } : undefined,
        clientSuite ? { side: 'client', change: `proposal ${describeSuite(clientSuite)}${buildNote(client, clientSuite)}`, client: { ...client, overrides: { ...client.overrides, ike: clientSuite } }, why: `the router takes only ${routerSuite}` } : undefined,
      );
    }
    case 'encrypted-message3-refused':
      return candidates({ side: 'router', lines: underTunnel(`ipsec ike payload type ${gw} 3`), why: 'the client encrypts Aggressive Mode message 3; the RTX takes it only under payload type 3 (the seed\'s line for OpenSWAN)' });
    case 'pre-shared-key-mismatch': {
      const key = gateway?.preSharedKey;
      const routerKey = key?.kind === 'text' ? Buffer.from(key.text) : key?.kind === 'hex' ? key.bytes : undefined;
      return candidates(
        routerKey ? { side: 'client', change: `pre-shared key = the router's \`ipsec ike pre-shared-key ${gw}\``, client: { ...client, inputs: { ...client.inputs, preSharedKey: routerKey } }, why: 'the two keys differ (each side\'s HASH fails on the other)' } : undefined,
        routerKey ? undefined : { side: 'router', lines: underTunnel(`ipsec ike pre-shared-key ${gw} text ${client.inputs.preSharedKey.toString()}`), why: 'the router has no usable key for this gateway' },
      );
    }
    case 'xauth-refused': {
      const groupId = gateway?.xauth.userGroupId;
      const account = settings.auth.findUser(point.user, groupId);
      if (account) {
        return candidates({ side: 'client', change: `XAUTH password of ${point.user} = the router's \`auth user ${account.userId}\``, client: { ...client, inputs: { ...client.inputs, xauth: { ...client.inputs.xauth, password: account.password } } }, why: `the router refused ${point.user}: ${point.reason}` });
      }
      const userId = freeUserId(settings, groupId);
      return candidates(userId === undefined ? undefined : { side: 'router', lines: [`auth user ${userId} ${point.user} ${client.inputs.xauth.password}`], why: `the router has no user ${point.user}${groupId === undefined ? '' : ` in group ${groupId}`}` });
    }
    case 'mode-cfg-pull':
      if (point.refusesPushedSet) {
        return {
          kind: 'none',
          why: `no fix on the router side: ${client.profile} only pulls its address (mode-cfg REQUEST) and refuses a pushed SET; an RTX only pushes (§15.39, SET only)`,
          workaround: 'give the client a static inner address and route it through the tunnel, as the seed did for racoon (mode_cfg off, 192.168.100.30 set by hand, `ip route 192.168.100.0/24 gateway tunnel 1`)',
        };
      }
      return candidates(client.overrides.pull ? { side: 'client', change: 'pull = no (take the pushed SET)', client: { ...client, overrides: withoutPull(client) }, why: 'the client pulls its address with a REQUEST; an RTX never answers one, it pushes a SET' } : undefined, staticAddressVariant(client));
    case 'mode-cfg-ack-with-values':
      return candidates({ side: 'router', lines: underTunnel(`ipsec ike mode-cfg method ${gw} set openswan`), why: 'the client ACKs the SET with values (OpenSWAN\'s form); the default method refuses such an ACK (hypothesis H3, docs/matrix.md)' });
    case 'address-pool-exhausted': {
      const poolId = gateway?.modeCfgPoolId;
      const pool = poolId === undefined ? undefined : settings.policy.addressPools?.get(poolId);
      if (!pool) return candidates();
      const last = addressPlus(pool.first, client.count - 1);
      return candidates({ side: 'router', lines: [`ipsec ike mode-cfg address pool ${pool.poolId} ${pool.first}-${last}${pool.prefixLength === undefined ? '' : `/${pool.prefixLength}`}`], why: `pool ${pool.poolId} (${pool.first}-${pool.last}) has fewer addresses than the ${client.count} clients` });
    }
    case 'tunnel-taken-over':
      if (!gateway) return candidates();
      return candidates({ side: 'router', lines: underTunnel(`tunnel template ${templateTargets(gateway.tunnelId, client.count)}`), why: 'one peer per tunnel: each further client needs a tunnel of its own (§15.49.6)' });
  }
}

/** What the real client needs to make this offer, when its usual build cannot (Debian's libreswan and MODP1024). */
function buildNote(client: ClientSetup, suite: IkeSuite): string {
  const limit = CLIENT_PROFILES[client.profile].cannotOffer;
  return limit?.groups.includes(suite.group) ? ` (${limit.why})` : '';
}

function withoutPull(client: ClientSetup): ClientSetup['overrides'] {
  const { pull: _pull, ...rest } = client.overrides;
  return rest;
}

/** racoon with `mode_cfg on` has a sibling profile that is the seed's workaround: mode_cfg off, inner address set by hand. */
function staticAddressVariant(client: ClientSetup): Fix | undefined {
  if (client.profile !== 'racoon-0.7.1-mode-cfg') return undefined;
  return { side: 'client', change: 'mode_cfg off, inner address 192.168.100.30 set by hand (profile racoon-0.7.1, the seed\'s setup)', client: { ...client, profile: 'racoon-0.7.1' }, why: 'racoon 0.7.1 ignores the pushed address (`isakmp_cfg_set`) and pulls; an RTX never answers a pull' };
}

function templateTargets(tunnelId: number, count: number): string {
  return count === 2 ? String(tunnelId + 1) : `${tunnelId + 1}-${tunnelId + count - 1}`;
}

function freeUserId(settings: RouterSettings, groupId: number | undefined): number | undefined {
  const group = groupId === undefined ? undefined : settings.auth.groups.get(groupId);
  const candidates = group ? group.members : Array.from({ length: 100 }, (_, index) => index + 1);
  return candidates.find((userId) => !settings.auth.users.has(userId));
}

function addressPlus(address: string, count: number): string {
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0) + count;
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

// --- Phase 1 suites: the client's names against the RTX's words ---------------------------------

const RTX_ENCRYPTION: Partial<Record<CipherId, IkeEncryptionSetting>> = { 'des-cbc': 'des-cbc', '3des-cbc': '3des-cbc', 'aes128-cbc': 'aes-cbc', 'aes256-cbc': 'aes256-cbc' };
const RTX_HASH: Record<HashId, IkeHashSetting> = { md5: 'md5', sha1: 'sha', sha256: 'sha256' };
const RTX_GROUP: Record<DhGroupId, IkeGroupSetting> = { 1: 'modp768', 2: 'modp1024', 5: 'modp1536', 14: 'modp2048' };

function clientProposals(client: ClientSetup): IkeSuite[] {
  const built = profileTunnel(CLIENT_PROFILES[client.profile], client.inputs, client.overrides);
  return built.ok ? built.options.phase1.proposals.map(({ encryption, hash, group }) => ({ encryption, hash, group })) : [];
}

function describeSuite(suite: IkeSuite): string {
  return `${suite.encryption}-${suite.hash}-modp${{ 1: 768, 2: 1024, 5: 1536, 14: 2048 }[suite.group]}`;
}

/** The client's offer that needs the fewest `ipsec ike` lines changed, with those lines (`GW` for the gateway). */
function closestOffer(offered: readonly IkeSuite[], gateway: { encryption: IkeEncryptionSetting; hash: IkeHashSetting; group: IkeGroupSetting }): { lines: string[] } | undefined {
  let best: { lines: string[] } | undefined;
  for (const suite of offered) {
    const encryption = RTX_ENCRYPTION[suite.encryption];
    if (encryption === undefined) continue;
    const lines = [
      encryption === gateway.encryption ? undefined : `ipsec ike encryption GW ${encryption}`,
      RTX_HASH[suite.hash] === gateway.hash ? undefined : `ipsec ike hash GW ${RTX_HASH[suite.hash]}`,
      RTX_GROUP[suite.group] === gateway.group ? undefined : `ipsec ike group GW ${RTX_GROUP[suite.group]}`,
    ].filter((line): line is string => line !== undefined);
    if (!best || lines.length < best.lines.length) best = { lines };
  }
  return best;
}

function ikeSuiteOf(encryption: IkeEncryptionSetting, hash: IkeHashSetting, group: IkeGroupSetting): IkeSuite | undefined {
  const cipher = (Object.keys(RTX_ENCRYPTION) as CipherId[]).find((id) => RTX_ENCRYPTION[id] === encryption);
  const prf = (Object.keys(RTX_HASH) as HashId[]).find((id) => RTX_HASH[id] === hash);
  const dh = (Object.keys(RTX_GROUP).map(Number) as DhGroupId[]).find((id) => RTX_GROUP[id] === group);
  return cipher && prf && dh !== undefined ? { encryption: cipher, hash: prf, group: dh } : undefined;
}
