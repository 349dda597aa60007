/**
 * What the RTX pushes with mode-cfg SET after XAUTH (§15.37-15.39, rtx-behaviour.md §3), and
 * where the address comes from, first match wins (§15.38):
 *
 *   1. the user's `auth user attribute U xauth-address=IP[/mask]`;
 *   2. the group's `auth user group attribute G xauth-address-pool=IP[-IP][/mask]`;
 *   3. the gateway's `ipsec ike mode-cfg address GW POOL` with `ipsec ike mode-cfg address pool`.
 *
 * (1 and 2 arrive merged, user over group, from the XAUTH directory.) The SET carries
 * INTERNAL_IP4_ADDRESS, INTERNAL_IP4_NETMASK when a mask is written, INTERNAL_IP4_DNS for
 * `xauth-dns` and INTERNAL_IP4_NBNS for `xauth-wins`, in that order (INFERRED from the attribute
 * keywords; the seed's racoon log shows ADDRESS then NETMASK). Identifier 0 (ASSUMED, as
 * strongSwan's). IPv6 assignments are not pushed (rtxlab handles INTERNAL_IP4 only).
 *
 * `ipsec ike mode-cfg method GW set openswan` ("Openswan 互換モード"): what it changes on the wire
 * was NOT FOUND. Named assumption OPENSWAN_MODE_UNCHANGED_WIRE: the SET itself is the same with or
 * without it (and a debug line says so); what the option changes is which ACKs are accepted —
 * hypothesis H3 of docs/matrix.md, implemented in mode-cfg-machine.ts (an ACK whose attributes
 * carry values, as OpenSWAN's pluto writes them, is refused unless the option is set).
 */
import { isIPv4 } from 'node:net';
import { CfgType, ModeCfgAttribute, modeCfgAttributeName } from '../ike/constants.js';
import { attributePayload, ipv4Attribute, type AttributePayload, type DataAttribute } from '../ike/codec/index.js';
import type { AddressRange } from './address-leases.js';
import type { AddressPoolPolicy, GatewayPolicy, XauthAttributesInForce } from './policy.js';

export const OPENSWAN_MODE_UNCHANGED_WIRE = 'OPENSWAN_MODE_UNCHANGED_WIRE';

/** Where the address comes from, once XAUTH has named the user. */
export type AddressSource =
  | { readonly kind: 'user-address'; readonly address: string; readonly netmask?: string }
  | { readonly kind: 'group-pool'; readonly range: AddressRange; readonly netmask?: string }
  | { readonly kind: 'gateway-pool'; readonly poolId: number; readonly range: AddressRange; readonly netmask?: string };

export type AddressSourceChoice = { readonly ok: true; readonly source: AddressSource } | { readonly ok: false; readonly reason: string };

export function chooseAddressSource(
  attributes: XauthAttributesInForce,
  gateway: Pick<GatewayPolicy, 'modeCfgPoolId'>,
  pools: ReadonlyMap<number, AddressPoolPolicy>,
): AddressSourceChoice {
  const assigned = attributes.address;
  if (assigned?.kind === 'fixed') {
    if (!isIPv4(assigned.address.address)) return { ok: false, reason: `xauth-address ${assigned.address.address} is not IPv4` };
    return { ok: true, source: { kind: 'user-address', address: assigned.address.address, ...netmaskField(assigned.address.mask) } };
  }
  if (assigned?.kind === 'pool') {
    const { first, last, mask } = assigned.pool;
    if (!isIPv4(first) || !isIPv4(last)) return { ok: false, reason: `xauth-address-pool ${first}-${last} is not IPv4` };
    return { ok: true, source: { kind: 'group-pool', range: { first, last }, ...netmaskField(mask) } };
  }
  if (gateway.modeCfgPoolId === undefined) return { ok: false, reason: 'no xauth-address, no xauth-address-pool and no `ipsec ike mode-cfg address`' };
  const pool = pools.get(gateway.modeCfgPoolId);
  if (pool === undefined) return { ok: false, reason: `mode-cfg address pool ${gateway.modeCfgPoolId} is not defined` };
  if (!isIPv4(pool.first) || !isIPv4(pool.last)) return { ok: false, reason: `mode-cfg address pool ${pool.poolId} is not IPv4` };
  return {
    ok: true,
    source: {
      kind: 'gateway-pool',
      poolId: pool.poolId,
      range: { first: pool.first, last: pool.last },
      ...(pool.prefixLength === undefined ? {} : { netmask: netmaskOfPrefix(pool.prefixLength) }),
    },
  };
}

/** What one client is told: its address and the attributes that go with it. */
export interface ModeCfgAssignment {
  readonly address: string;
  readonly netmask?: string;
  readonly dns?: string;
  readonly wins?: string;
}

/** The push: `SET(ADDRESS [, NETMASK] [, DNS] [, NBNS])`, identifier 0. */
export function modeCfgSet(assignment: ModeCfgAssignment): AttributePayload {
  return attributePayload(CfgType.SET, assignmentAttributes(assignment));
}

/**
 * The REPLY to a client's REQUEST, used only under the rtxlab option `--answer-mode-cfg-requests`
 * (an RTX never answers): the requested attributes rtxlab knows a value for, in the REQUEST's
 * order, with the REQUEST's identifier (draft-dukes-ike-mode-cfg-02 §3.2).
 */
export function modeCfgReply(request: AttributePayload, assignment: ModeCfgAssignment | undefined): AttributePayload {
  const known = assignment === undefined ? [] : assignmentAttributes(assignment);
  const attributes = request.attributes.flatMap((asked) => known.filter((value) => value.type === asked.type));
  return attributePayload(CfgType.REPLY, attributes, request.identifier);
}

function assignmentAttributes(assignment: ModeCfgAssignment): DataAttribute[] {
  const A = ModeCfgAttribute;
  return [
    ipv4Attribute(A.INTERNAL_IP4_ADDRESS, assignment.address),
    ...(assignment.netmask === undefined ? [] : [ipv4Attribute(A.INTERNAL_IP4_NETMASK, assignment.netmask)]),
    ...(assignment.dns === undefined || !isIPv4(assignment.dns) ? [] : [ipv4Attribute(A.INTERNAL_IP4_DNS, assignment.dns)]),
    ...(assignment.wins === undefined || !isIPv4(assignment.wins) ? [] : [ipv4Attribute(A.INTERNAL_IP4_NBNS, assignment.wins)]),
  ];
}

/** `INTERNAL-IP4-ADDRESS, INTERNAL-IP4-NETMASK`: the attribute names of a payload, for logs. */
export function attributeNames(payload: AttributePayload): string {
  return payload.attributes.length === 0 ? '(no attributes)' : payload.attributes.map((attribute) => modeCfgAttributeName(attribute.type)).join(', ');
}

/** A `/mask` as written in the config: a prefix length (`/24`, `/32`) or a dotted mask. */
export function netmaskOf(mask: string | undefined): string | undefined {
  if (mask === undefined) return undefined;
  if (/^\d{1,2}$/.test(mask) && Number(mask) <= 32) return netmaskOfPrefix(Number(mask));
  return isIPv4(mask) ? mask : undefined;
}

export function netmaskOfPrefix(prefixLength: number): string {
  const bits = prefixLength <= 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

function netmaskField(mask: string | undefined): { netmask?: string } {
  const netmask = netmaskOf(mask);
  return netmask === undefined ? {} : { netmask };
}
