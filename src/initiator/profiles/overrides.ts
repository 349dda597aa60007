/**
 * What a user may change in a profile from the command line: the algorithms, lifetimes, PFS,
 * push or pull, NAT-T, the network asked for in Quick Mode. Everything else stays the client's.
 */
import type { Identity } from '../../ike/codec/index.js';
import type { DhGroupId } from '../../ike/crypto/index.js';
import type { ExchangeMode, NatTraversalMode, Phase1AuthMethod } from '../../ike/initiator/options.js';
import type { TunnelOptions } from '../tunnel-options.js';
import type { ClientProfile, ProfileInputs } from './profile.js';
import type { EspSuite, IkeSuite } from './suites.js';

export interface ProfileOverrides {
  /** One Phase 1 transform instead of the profile's list (the profile's auth method kept). */
  readonly ike?: IkeSuite;
  readonly ikeLifeSeconds?: number;
  /**
   * `pre-shared-key` drops XAUTH and mode-cfg (the RTX gives no address without XAUTH, §15.38):
   * Quick Mode then names the host itself as IDci.
   */
  readonly authMethod?: Phase1AuthMethod;
  /** One ESP transform instead of the profile's list. */
  readonly esp?: EspSuite;
  readonly espLifeSeconds?: number;
  readonly pfs?: DhGroupId | 'off';
  /** Ask for the address with a REQUEST: the profile's pull mode (an RTX never answers it). */
  readonly pull?: boolean;
  readonly natTraversal?: NatTraversalMode;
  /** IDcr: the network behind the gateway. */
  readonly remoteNetwork?: Identity;
  /**
   * Phase 1 in Main Mode instead of the profile's Aggressive Mode (rtxlab's choice: the profiles
   * record Aggressive Mode clients; their message 3 behaviour then shapes message 5).
   */
  readonly exchangeMode?: ExchangeMode;
}

export type OverrideResult = { readonly ok: true; readonly options: TunnelOptions } | { readonly ok: false; readonly text: string };

/** The profile's tunnel options for these inputs, with the overrides applied. */
export function profileTunnel(profile: ClientProfile, inputs: ProfileInputs, overrides: ProfileOverrides = {}): OverrideResult {
  const base = profile.tunnel(inputs);
  let phase1 = base.phase1;
  if (overrides.ike) {
    const first = phase1.proposals[0]!;
    phase1 = { ...phase1, proposals: [{ ...first, ...overrides.ike }] };
  }
  if (overrides.ikeLifeSeconds !== undefined) phase1 = { ...phase1, proposals: phase1.proposals.map((proposal) => ({ ...proposal, lifeSeconds: overrides.ikeLifeSeconds })) };
  if (overrides.natTraversal) phase1 = { ...phase1, natTraversal: overrides.natTraversal };
  if (overrides.exchangeMode) phase1 = { ...phase1, exchangeMode: overrides.exchangeMode };
  if (overrides.authMethod) {
    const authMethod = overrides.authMethod;
    // Aggressive Mode offers one KE, so a mixed list would only differ in the method: keep one of each transform.
    const seen = new Set<string>();
    const proposals = phase1.proposals
      .map((proposal) => ({ ...proposal, authMethod }))
      .filter((proposal) => {
        const key = `${proposal.encryption}/${proposal.hash}/${proposal.group}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    phase1 = { ...phase1, proposals };
  }

  let options: TunnelOptions = { ...base, phase1 };
  if (overrides.authMethod === 'pre-shared-key') {
    const { xauth: _xauth, modeCfg: _modeCfg, ...rest } = options;
    options = rest;
    if (options.quickMode?.localId?.kind === 'mode-cfg-address') {
      options = { ...options, quickMode: { ...options.quickMode, localId: { kind: 'ipv4-address', address: inputs.localAddress ?? '127.0.0.1' } } };
    }
  }
  if (overrides.pull) {
    if (!profile.pullModeCfg) return { ok: false, text: `profile ${profile.name} has no pull mode (it ${options.modeCfg?.pull ? 'already pulls' : 'only takes a pushed SET'})` };
    if (!options.modeCfg) return { ok: false, text: 'no mode-cfg without XAUTH: --pull needs an XAUTH auth method' };
    options = { ...options, modeCfg: profile.pullModeCfg };
  }
  const quickMode = options.quickMode;
  if (quickMode) {
    let next = quickMode;
    if (overrides.ike && profile.pfsFollowsIkeGroup && next.pfsGroup !== undefined) next = { ...next, pfsGroup: overrides.ike.group };
    if (overrides.esp) next = { ...next, proposals: [overrides.esp] };
    if (overrides.espLifeSeconds !== undefined) next = { ...next, lifeSeconds: overrides.espLifeSeconds };
    if (overrides.pfs === 'off') {
      const { pfsGroup: _pfs, ...rest } = next;
      next = rest;
    } else if (overrides.pfs !== undefined) {
      next = { ...next, pfsGroup: overrides.pfs };
    }
    if (overrides.remoteNetwork) next = { ...next, remoteId: overrides.remoteNetwork };
    options = { ...options, quickMode: next };
  }
  return { ok: true, options };
}
