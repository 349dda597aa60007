/**
 * Quick Mode as the router starts it under its own ISAKMP SA: the ESP transform of the tunnel's
 * `ipsec sa policy`, the `ipsec ike duration ipsec-sa` lifetime, PFS per `ipsec ike pfs`, and
 * IDci/IDcr from `ipsec ike local id` / `remote id` (§15.19/§15.16: type 1 without a mask, type 4
 * with one; no IDs when neither is set). With only one of the two set, the other ID is the
 * gateway's own address (IDci) or the peer's (IDcr), type 1: RFC 2409 §5.5 has them go as a pair
 * (ASSUMED: the reference does not say what the RTX sends then).
 */
import { dhGroup } from '../ike/crypto/index.js';
import type { IsakmpSa } from '../ike/initiator/isakmp-sa.js';
import {
  buildQuickMode1,
  buildQuickMode3,
  processQuickMode2,
  resolveQuickModeRequest,
  type QuickMode1State,
  type QuickModeRandomness,
} from '../ike/initiator/quick-mode.js';
import { policyCipher, policyIntegrity } from '../ike-responder/esp-proposal.js';
import type { Identity } from '../ike/codec/index.js';
import type { GatewayPolicy } from '../ike-responder/policy.js';
import { configuredGroup } from '../ike-responder/proposal.js';
import type { Endpoint, InstalledIpsecSa } from '../ike-responder/port.js';

const NONCE_LENGTH = 16;

export type QuickModeStart =
  | { readonly ok: true; readonly bytes: Buffer; readonly state: QuickMode1State }
  | { readonly ok: false; readonly text: string };

/** The two gateways' addresses: the IDs that stand in for an unset `local id` / `remote id`. */
export interface GatewayAddresses {
  readonly local: string;
  readonly peer: string;
}

/** IDci and IDcr for this gateway, or none when neither `local id` nor `remote id` is set. */
export function quickModeIds(gateway: GatewayPolicy, addresses: GatewayAddresses): { readonly localId: Identity; readonly remoteId: Identity } | undefined {
  const ids = gateway.phase2Ids;
  if (ids === undefined || (ids.local === undefined && ids.remote === undefined)) return undefined;
  return {
    localId: ids.local ?? { kind: 'ipv4-address', address: addresses.local },
    remoteId: ids.remote ?? { kind: 'ipv4-address', address: addresses.peer },
  };
}

/** Message 1, or why this gateway cannot make one (no `ipsec sa policy`, an AH or null policy). */
export function beginQuickMode(sa: IsakmpSa, gateway: GatewayPolicy, pfs: boolean, random: (length: number) => Buffer, addresses?: GatewayAddresses): QuickModeStart {
  const policy = gateway.saPolicy;
  if (policy === undefined) return { ok: false, text: `tunnel ${gateway.tunnelId} has no ipsec sa policy for gateway ${gateway.gatewayId}` };
  const encryption = policyCipher(policy.encryption);
  const integrity = policyIntegrity(policy.authentication);
  if (policy.protocol !== 'esp' || encryption === undefined || integrity === undefined) {
    return { ok: false, text: `ipsec sa policy ${policy.policyId} is not an ESP policy with encryption and authentication` };
  }
  const pfsGroup = pfs ? configuredGroup(gateway.phase2Group) : undefined;
  const ids = addresses === undefined ? undefined : quickModeIds(gateway, addresses);
  const resolved = resolveQuickModeRequest(
    {
      proposals: [{ encryption, integrity }],
      lifeSeconds: gateway.ipsecLifetimeSeconds,
      ...(pfsGroup === undefined ? {} : { pfsGroup }),
      ...(ids === undefined ? {} : ids),
      nonceLength: NONCE_LENGTH,
    },
    sa,
  );
  if (!resolved.ok) return resolved;
  const built = buildQuickMode1(sa, resolved.request, drawQuickModeRandomness(random, pfsGroup));
  return { ok: true, bytes: built.bytes, state: built.state };
}

export type QuickModeStep =
  | { readonly kind: 'ignored'; readonly text: string }
  | { readonly kind: 'failed'; readonly text: string }
  | { readonly kind: 'done'; readonly bytes: Buffer; readonly sa: IsakmpSa; readonly installed: InstalledIpsecSa };

/** Where the pair's ESP goes: the peer and our socket, on the NAT-T ports when UDP-encapsulated. */
export interface EspEndpoints {
  readonly peer: Endpoint;
  readonly local: Endpoint;
}

/** Message 2 in, message 3 and the SA pair out. */
export function receiveQuickMode2(
  state: QuickMode1State,
  bytes: Buffer,
  context: { readonly gateway: GatewayPolicy; readonly esp: (udpEncapsulated: boolean) => EspEndpoints; readonly now: number },
): QuickModeStep {
  const result = processQuickMode2(state, bytes);
  if (!result.ok) {
    const { failure } = result;
    if (failure.kind === 'foreign-message' || failure.kind === 'not-quick-mode') return { kind: 'ignored', text: failure.text };
    return { kind: 'failed', text: failure.text };
  }
  const built = buildQuickMode3(result.state);
  const pair = built.espSas;
  const endpoints = context.esp(pair.udpEncapsulated);
  const { gateway } = context;
  const { localId, remoteId } = state.request;
  return {
    kind: 'done',
    bytes: built.bytes,
    sa: built.sa,
    installed: {
      tunnelId: gateway.tunnelId,
      gatewayId: gateway.gatewayId,
      peer: endpoints.peer,
      local: endpoints.local,
      udpEncapsulated: pair.udpEncapsulated,
      encryption: pair.encryption,
      integrity: pair.integrity,
      inbound: pair.inbound,
      outbound: pair.outbound,
      lifeSeconds: pair.lifeSeconds ?? gateway.ipsecLifetimeSeconds,
      ...(pair.lifeKilobytes === undefined ? {} : { lifeKilobytes: pair.lifeKilobytes }),
      establishedAt: context.now,
      ...(localId === undefined ? {} : { initiatorIdentity: localId }),
      ...(remoteId === undefined ? {} : { responderIdentity: remoteId }),
    },
  };
}

function drawQuickModeRandomness(random: (length: number) => Buffer, pfsGroup: ReturnType<typeof configuredGroup> | undefined): QuickModeRandomness {
  let messageId = 0;
  while (messageId === 0) messageId = random(4).readUInt32BE(0);
  let spi = random(4);
  // RFC 4303 §2.1: SPIs 1..255 are reserved.
  while (spi.readUInt32BE(0) < 256) spi = random(4);
  return {
    messageId,
    spi,
    nonce: random(NONCE_LENGTH),
    ...(pfsGroup === undefined ? {} : { dhPrivateKey: random(dhGroup(pfsGroup).privateExponentLength) }),
  };
}
