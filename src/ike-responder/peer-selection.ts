import { readIdentity, type IdPayload } from '../ike/codec/index.js';
import type { GatewayPolicy } from './policy.js';

/**
 * The ID string an RTX compares with `ipsec ike remote name`. The reference (§15.14) says the
 * name's type "is not considered when identifying the peer": only the string counts, so a
 * client sending `myid` as FQDN, USER_FQDN or KEY_ID matches `remote name 1 myid` alike
 * (Shrew sends ufqdn to a router configured with key-id, rtx-behaviour.md §7). Address IDs are
 * compared in their usual text form (assumed).
 */
export function idString(id: Pick<IdPayload, 'idType' | 'data'>): string {
  const identity = readIdentity(id.idType, id.data);
  if (!identity.ok) return id.data.toString('latin1');
  switch (identity.value.kind) {
    case 'ipv4-address':
    case 'ipv6-address':
      return identity.value.address;
    case 'ipv4-subnet':
    case 'ipv6-subnet':
      return `${identity.value.address}/${identity.value.netmask}`;
    case 'ipv4-range':
    case 'ipv6-range':
      return `${identity.value.first}-${identity.value.last}`;
    default:
      // FQDN, USER_FQDN, KEY_ID and anything else: the bytes as the name was written.
      return id.data.toString('latin1');
  }
}

export type PeerSelection =
  | { readonly kind: 'selected'; readonly gateway: GatewayPolicy; readonly matchedBy: 'remote-address' | 'remote-name' | 'any-name' }
  | { readonly kind: 'unknown-peer'; readonly idText: string };

/** Whether a gateway's tunnel already carries another peer than `peerAddress` (the responder knows). */
export type GatewayInUse = (gatewayId: number, peerAddress: string) => boolean;

/**
 * Which gateway answers an Aggressive Mode message 1 from `sourceAddress` carrying `id`.
 *
 * - `ipsec ike remote address GW IP` identifies the peer by its source address (§15.15).
 * - `ipsec ike remote address GW any` accepts any host, so the peer is told apart only by
 *   `ipsec ike remote name GW NAME`, compared with the ID string (§15.14). `tunnel template`
 *   appends the tunnel number to the name (§15.49.6), so each template tunnel has its own name.
 * - `any` without a remote name (Yamaha's own XAUTH example, §15.40, has none) accepts any ID
 *   (ASSUMED), after the gateways that name it.
 *
 * One tunnel carries one peer: among the gateways that match equally, the first whose tunnel is
 * free (or already this peer's) is taken, so clients of nameless template tunnels spread over
 * them; when all are taken, the first is (its tunnel then passes to the new peer once Quick Mode
 * completes: ASSUMED, see responder.ts).
 *
 * Assumed (no source says how the RTX orders them): enabled gateways only; a gateway naming the
 * source address wins over `any`; within each kind the lowest gateway id wins. Names compare
 * exactly (case-sensitive). A gateway whose remote address is a host name never matches.
 */
export function selectGateway(
  gateways: readonly GatewayPolicy[],
  id: Pick<IdPayload, 'idType' | 'data'>,
  sourceAddress: string,
  inUse: GatewayInUse = () => false,
): PeerSelection {
  const lookup = lookupOf(gateways);
  const byAddress = lookup.byAddress.get(sourceAddress);
  if (byAddress) return { kind: 'selected', gateway: byAddress, matchedBy: 'remote-address' };
  const idText = idString(id);
  for (const [matchedBy, candidates] of [
    ['remote-name', lookup.anyByName.get(idText) ?? []],
    ['any-name', lookup.anyNameless],
  ] as const) {
    const chosen = candidates.find((gateway) => !inUse(gateway.gatewayId, sourceAddress)) ?? candidates[0];
    if (chosen) return { kind: 'selected', gateway: chosen, matchedBy };
  }
  return { kind: 'unknown-peer', idText };
}

/**
 * Which gateway answers a Main Mode message 1 from `sourceAddress`. Main Mode hides the
 * initiator's ID until message 5, but the pre-shared key must be known at message 3 to key the
 * SA, so the peer can only be chosen by its source address: `ipsec ike remote address GW IP`
 * (§15.15). The reference's chapter intro says Main Mode takes no `remote name`, and a
 * `remote address any` gateway identifies its peers by name (Aggressive Mode only), so such
 * gateways are not candidates (inferred from the chapter intro). Enabled gateways only; the
 * lowest id wins when two name the same address (assumed, as for Aggressive Mode).
 */
export function selectMainModeGateway(gateways: readonly GatewayPolicy[], sourceAddress: string): GatewayPolicy | undefined {
  return lookupOf(gateways).byAddress.get(sourceAddress);
}

/** A gateway by its id, enabled or not (the responder's one-peer-per-tunnel check). */
export function gatewayWithId(gateways: readonly GatewayPolicy[], gatewayId: number): GatewayPolicy | undefined {
  return lookupOf(gateways).byId.get(gatewayId);
}

/** Every gateway by id; the enabled ones by what selects them, each list in the gateways' order (the first wins). */
interface GatewayLookup {
  readonly byId: ReadonlyMap<number, GatewayPolicy>;
  readonly byAddress: ReadonlyMap<string, GatewayPolicy>;
  readonly anyByName: ReadonlyMap<string, readonly GatewayPolicy[]>;
  readonly anyNameless: readonly GatewayPolicy[];
}

/**
 * Made once per gateway list (a config's policy is not changed in place; a new config makes a
 * new list): with a `tunnel template` of thousands of tunnels, reading them all per message 1
 * cost each handshake more the more tunnels the config had (issue 14 point 4).
 */
const lookups = new WeakMap<readonly GatewayPolicy[], GatewayLookup>();

function lookupOf(gateways: readonly GatewayPolicy[]): GatewayLookup {
  const known = lookups.get(gateways);
  if (known) return known;
  const byId = new Map<number, GatewayPolicy>();
  const byAddress = new Map<string, GatewayPolicy>();
  const anyByName = new Map<string, GatewayPolicy[]>();
  const anyNameless: GatewayPolicy[] = [];
  for (const gateway of gateways) {
    if (!byId.has(gateway.gatewayId)) byId.set(gateway.gatewayId, gateway);
    if (!gateway.enabled) continue;
    const remote = gateway.remoteAddress;
    if (remote.kind === 'ip' && !byAddress.has(remote.address)) byAddress.set(remote.address, gateway);
    if (remote.kind !== 'any') continue;
    if (gateway.remoteName === undefined) {
      anyNameless.push(gateway);
      continue;
    }
    const named = anyByName.get(gateway.remoteName);
    if (named) named.push(gateway);
    else anyByName.set(gateway.remoteName, [gateway]);
  }
  const lookup = { byId, byAddress, anyByName, anyNameless };
  lookups.set(gateways, lookup);
  return lookup;
}
