/**
 * The key a gateway negotiates with, and what happens when the config shows it masked.
 *
 * Decision (docs/config.md): a config whose key reads `ipsec ike pre-shared-key N *` (a
 * `show config` capture someone masked) is accepted, but the router will not negotiate for that
 * gateway: it cannot know the secret. Each attempt logs one line saying so, until the secret is
 * supplied from outside the config (`--psk N=KEY` on the command line). A gateway with no key at
 * all does no key exchange, as the reference says (§15.5), and logs nothing.
 */
import type { IpsecGateway, PreSharedKey } from './ipsec-gateways.js';
export type { PreSharedKey } from './ipsec-gateways.js';

export type NegotiationKey =
  | { readonly ok: true; readonly secret: Uint8Array }
  | { readonly ok: false; readonly reason: 'not-configured' }
  | { readonly ok: false; readonly reason: 'masked'; readonly logLine: string };

/** The secret bytes IKE's SKEYID uses (RFC 2409 §5: the pre-shared key as bytes). */
export function secretBytes(key: Exclude<PreSharedKey, { kind: 'masked' }>): Uint8Array {
  return key.kind === 'hex' ? key.bytes : new TextEncoder().encode(key.text);
}

/**
 * The key to negotiate with: a secret supplied for this gateway wins over the config (it exists
 * to fill in masked keys), then the configured key.
 */
export function negotiationKey(gateway: IpsecGateway, supplied?: ReadonlyMap<number, PreSharedKey>): NegotiationKey {
  const key = supplied?.get(gateway.gatewayId) ?? gateway.preSharedKey;
  if (key === undefined) return { ok: false, reason: 'not-configured' };
  if (key.kind === 'masked') {
    return {
      ok: false,
      reason: 'masked',
      // rtxlab's own line (the RTX has none: a real router always knows its key).
      logLine: `[IKE] gateway ${gateway.gatewayId}: pre-shared key is masked (*) in the config; supply it with --psk ${gateway.gatewayId}=KEY`,
    };
  }
  return { ok: true, secret: secretBytes(key) };
}

/** `N=KEY` (text) or `N=0x...` (hex), as given to `--psk`. */
export function parsePskAssignment(text: string): { gatewayId: number; key: PreSharedKey } | undefined {
  const match = /^(\d+)=(.+)$/s.exec(text);
  if (!match) return undefined;
  const value = match[2]!;
  const key: PreSharedKey = /^0x([0-9a-f]{2})+$/i.test(value)
    ? { kind: 'hex', bytes: Uint8Array.from(value.slice(2).match(/../g)!.map((h) => parseInt(h, 16))) }
    : { kind: 'text', text: value };
  return { gatewayId: Number(match[1]), key };
}
