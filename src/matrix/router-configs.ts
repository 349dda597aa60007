/**
 * The router configs of the seed's table. The seed shows one config, the one it used for
 * OpenSWAN (with `ipsec ike payload type 1 3`); the author set that line for OpenSWAN only, so the
 * other clients ran without it. Both variants start from rtxlab's embedded default, which is the
 * seed's config with the key in clear, minus the NAT-T line the embedded default adds (the seed
 * has none).
 */
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';

export interface RouterVariant {
  /** `ipsec ike payload type 1 3`, as the seed shows it; without it the default type 2. */
  readonly payloadType3: boolean;
  /** `ipsec ike mode-cfg method 1 set openswan` ("Openswan 互換モード", command reference §15.39). */
  readonly modeCfgOpenswan?: boolean;
}

const NAT_TRAVERSAL_LINE = 'ipsec ike nat-traversal 1 on';
const PAYLOAD_TYPE_LINE = 'ipsec ike payload type 1 3';
const MODE_CFG_ADDRESS_LINE = 'ipsec ike mode-cfg address 1 1';
const OPENSWAN_METHOD_LINE = 'ipsec ike mode-cfg method 1 set openswan';

/** The seed's config text for this variant. Throws if the embedded default no longer has the lines it edits. */
export function seedRouterConfig(variant: RouterVariant): string {
  const lines = DEFAULT_CONFIG_TEXT.split('\n');
  for (const needed of [NAT_TRAVERSAL_LINE, PAYLOAD_TYPE_LINE, MODE_CFG_ADDRESS_LINE]) {
    if (!lines.includes(needed)) throw new Error(`the embedded default config has no line "${needed}" to build the seed's variants from`);
  }
  const edited = lines
    .filter((line) => line !== NAT_TRAVERSAL_LINE && (variant.payloadType3 || line !== PAYLOAD_TYPE_LINE))
    .flatMap((line) => (line === MODE_CFG_ADDRESS_LINE && variant.modeCfgOpenswan ? [line, OPENSWAN_METHOD_LINE] : [line]));
  return edited.join('\n');
}

/** `payload type 3`, `default payload type`, `payload type 3 + mode-cfg method set openswan`. */
export function describeRouterVariant(variant: RouterVariant): string {
  const base = variant.payloadType3 ? 'seed config (payload type 3)' : 'seed config without payload type (type 2)';
  return variant.modeCfgOpenswan ? `${base} + mode-cfg method set openswan` : base;
}
