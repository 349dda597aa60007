/**
 * Tunnel interfaces: enabled or not, encapsulation, the IPsec policy they use, and `tunnel
 * template` expansion (command reference §15.49.6): a template copies the source tunnel's
 * `ipsec tunnel`, `ipsec sa policy`, gateway settings, `tunnel encapsulation` and `tunnel enable`
 * to each target tunnel, with the source's number replaced by the target's; settings the target
 * has itself win.
 */
import { ipParams } from '../families/ip.js';
import { ipsecParams } from '../families/ipsec.js';
import { parseIdRange } from '../families/checks.js';
import { tunnelParams, type TunnelEncapsulation } from '../families/tunnel.js';
import type { ConfigCommand, ConfigModel } from '../model.js';

export interface TunnelInterface {
  readonly tunnel: number;
  /** `tunnel enable N` (or `all`) in force; the factory default is disabled (§14.1). */
  readonly enabled: boolean;
  /** `tunnel encapsulation`; `ipsec` when not set (assumed default). */
  readonly encapsulation: TunnelEncapsulation;
  /** The SA policy of `ipsec tunnel P` in this tunnel. */
  readonly ipsecPolicyId?: number;
  readonly tcpMssLimit?: 'auto' | 'off' | number;
  /** Set when this tunnel's settings come from another tunnel's `tunnel template`. */
  readonly templateSource?: number;
  /** The tunnels this one is a template for. */
  readonly templateTargets: readonly number[];
}

/** `2 5-7` -> [2, 5, 6, 7]. */
export function expandTargets(targets: readonly string[]): number[] {
  const numbers = new Set<number>();
  for (const target of targets) {
    const [from, to] = parseIdRange(target);
    for (let n = from; n <= to; n++) numbers.add(n);
  }
  return [...numbers].sort((a, b) => a - b);
}

const inTunnel = (command: ConfigCommand, tunnel: number): boolean =>
  command.context.kind === 'tunnel' && command.context.tunnel === tunnel;

/** Target tunnel -> source tunnel, for every `tunnel template` (the first source wins). */
export function templateSources(model: ConfigModel): ReadonlyMap<number, number> {
  const sources = new Map<number, number>();
  for (const command of model.byName('tunnel template')) {
    if (command.context.kind !== 'tunnel') continue;
    const source = command.context.tunnel;
    for (const target of expandTargets(tunnelParams(command, 'tunnel template').targets)) {
      if (target !== source && !sources.has(target)) sources.set(target, source);
    }
  }
  return sources;
}

/** Is tunnel N enabled? Its own `tunnel enable|disable N`, else `... all`, else disabled. */
function ownEnabled(model: ConfigModel, tunnel: number): boolean | undefined {
  let all: boolean | undefined;
  let own: boolean | undefined;
  for (const command of model.commands) {
    if (command.name !== 'tunnel enable' && command.name !== 'tunnel disable') continue;
    const target = (command.params as { tunnel: number | 'all' }).tunnel;
    // `no tunnel enable all`, kept as a line, disables like `tunnel disable all`.
    const enabled = command.name === 'tunnel enable' && command.negated !== true;
    if (target === 'all') all = enabled;
    else if (target === tunnel) own = enabled;
  }
  return own ?? all;
}

function tunnelNumbers(model: ConfigModel, sources: ReadonlyMap<number, number>): number[] {
  const numbers = new Set<number>(sources.keys());
  for (const command of model.commands) {
    if (command.context.kind === 'tunnel') numbers.add(command.context.tunnel);
    if (command.name === 'tunnel enable' || command.name === 'tunnel disable') {
      const target = (command.params as { tunnel: number | 'all' }).tunnel;
      if (typeof target === 'number') numbers.add(target);
    }
  }
  return [...numbers].sort((a, b) => a - b);
}

function ownPolicy(model: ConfigModel, tunnel: number): number | undefined {
  const command = model.byName('ipsec tunnel').find((c) => inTunnel(c, tunnel));
  return command === undefined ? undefined : ipsecParams(command, 'ipsec tunnel').policyId;
}

function ownEncapsulation(model: ConfigModel, tunnel: number): TunnelEncapsulation | undefined {
  const command = model.byName('tunnel encapsulation').find((c) => inTunnel(c, tunnel));
  return command === undefined ? undefined : tunnelParams(command, 'tunnel encapsulation').type;
}

export function tunnelInterfaces(model: ConfigModel): TunnelInterface[] {
  const sources = templateSources(model);
  const targetsOf = new Map<number, number[]>();
  for (const [target, source] of sources) targetsOf.set(source, [...(targetsOf.get(source) ?? []), target]);

  return tunnelNumbers(model, sources).map((tunnel) => {
    const source = sources.get(tunnel);
    const sourcePolicy = source === undefined ? undefined : ownPolicy(model, source);
    // A template copies `ipsec tunnel P` only when P is the source's own number, renumbered.
    const inheritedPolicy = source !== undefined && sourcePolicy === source ? tunnel : undefined;
    const sourceEnabled = source === undefined ? undefined : ownEnabled(model, source);
    const mss = model.byName('ip * tcp mss limit').find((c) => inTunnel(c, tunnel));
    const ipsecPolicyId = ownPolicy(model, tunnel) ?? inheritedPolicy;
    return {
      tunnel,
      enabled: ownEnabled(model, tunnel) ?? sourceEnabled ?? false,
      encapsulation:
        ownEncapsulation(model, tunnel) ?? (source === undefined ? undefined : ownEncapsulation(model, source)) ?? 'ipsec',
      ...(ipsecPolicyId === undefined ? {} : { ipsecPolicyId }),
      ...(mss === undefined ? {} : { tcpMssLimit: ipParams(mss, 'ip * tcp mss limit').limit }),
      ...(source === undefined ? {} : { templateSource: source }),
      templateTargets: targetsOf.get(tunnel) ?? [],
    };
  });
}
