/**
 * The tunnel family: `tunnel select` (the context switch, §56.2), `tunnel enable|disable`,
 * `tunnel template` (§15.49.6), `tunnel encapsulation`, `tunnel endpoint ...` (chapter 14).
 */
import grammar from '../generated/tunnel.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { firstProblem, lengthBetween, parseIdRange } from './checks.js';
import { MAX_GATEWAY_ID } from './ipsec.js';
import { tunnelNumberProblem, type ConfigLimits } from '../limits.js';

/** Tunnel interface numbers share the security gateway range on RTX (tunnel N <-> gateway N). */
export const MAX_TUNNEL_NUMBER = MAX_GATEWAY_ID;

/** `N` or `N-M` of tunnel numbers within the limit in force. */
export function tunnelRangeProblem(text: string, limits: ConfigLimits): ValidationProblem | undefined {
  const [from, to] = parseIdRange(text);
  return firstProblem(tunnelNumberProblem(from, limits, 'tunnel number'), tunnelNumberProblem(to, limits, 'tunnel number')) ??
    (from <= to ? undefined : { error: 'parameter-out-of-range', detail: `tunnel number: ${text} is reversed` });
}

export type TunnelEncapsulation =
  | 'ipsec'
  | 'ipip'
  | 'l2tp'
  | 'l2tpv3'
  | 'l2tpv3-raw'
  | 'pptp'
  | 'map-e'
  | 'nat46'
  | 'ipip6';

export interface TunnelParams {
  'tunnel select': { tunnel: number | 'none' };
  'tunnel enable': { tunnel: number | 'all' };
  'tunnel disable': { tunnel: number | 'all' };
  /** Targets as written: `N` or `N-M`. */
  'tunnel template': { targets: string[] };
  'tunnel encapsulation': { type: TunnelEncapsulation };
  'tunnel endpoint address': { local?: string; remote: string };
  'tunnel endpoint remote address': { remote: string };
  'tunnel endpoint local address': { local: string };
  'tunnel endpoint name': { local?: string; remote: string; type?: 'fqdn' };
}

export type TunnelCommandName = keyof TunnelParams;

export function tunnelParams<N extends TunnelCommandName>(command: ParsedCommand, name: N): TunnelParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as TunnelParams[N];
}

const commands: readonly TunnelCommandName[] = [
  'tunnel select',
  'tunnel enable',
  'tunnel disable',
  'tunnel template',
  'tunnel encapsulation',
  'tunnel endpoint address',
  'tunnel endpoint remote address',
  'tunnel endpoint local address',
  'tunnel endpoint name',
];

function validate(command: ParsedCommand, limits: ConfigLimits): ValidationProblem | undefined {
  const tunnel = command.params['tunnel'];
  if (typeof tunnel === 'number') return tunnelNumberProblem(tunnel, limits, 'tunnel number');
  switch (command.name as TunnelCommandName) {
    case 'tunnel template':
      return firstProblem(
        ...tunnelParams(command, 'tunnel template').targets.map((t) => tunnelRangeProblem(t, limits)),
      );
    case 'tunnel endpoint name': {
      const names = tunnelParams(command, 'tunnel endpoint name');
      return firstProblem(lengthBetween(names.remote, 1, 255, 'remote name'), lengthBetween(names.local, 1, 255, 'local name'));
    }
    default:
      return undefined;
  }
}

// `tunnel enable N` and `tunnel disable N` set one switch per tunnel; `all` clears the others.
const enableSlot: CommandSpec = { identity: 1, slot: 'tunnel enable', scope: 'global' };

const specs: Readonly<Record<string, CommandSpec>> = {
  'tunnel select': { identity: 0, scope: 'global' },
  'tunnel enable': enableSlot,
  'tunnel disable': enableSlot,
  'tunnel template': { identity: 0, scope: 'tunnel' },
  'tunnel encapsulation': { identity: 0, scope: 'tunnel' },
  'tunnel endpoint address': { identity: 0, scope: 'tunnel' },
  'tunnel endpoint remote address': { identity: 0, scope: 'tunnel' },
  'tunnel endpoint local address': { identity: 0, scope: 'tunnel' },
  'tunnel endpoint name': { identity: 0, scope: 'tunnel' },
};

export const family: CommandFamily = {
  name: 'tunnel',
  firstKeywords: ['tunnel'],
  commands,
  grammar,
  validate,
  specs,
};
