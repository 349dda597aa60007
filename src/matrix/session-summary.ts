/**
 * One run of the bundled client in plain, JSON-ready terms: how it ended, what Phase 1 agreed,
 * what XAUTH and mode-cfg gave, which ESP SAs Quick Mode made, and the transcript. Shared by
 * `rtxlab connect` and `rtxlab matrix`.
 */
import { formatIdentity } from '../ike/codec/index.js';
import { formatSessionTranscript, type TunnelSessionResult } from '../initiator/index.js';
import { decisiveCause } from '../initiator/failure-cause.js';

export interface SessionSummary {
  readonly outcome: 'established' | 'failed';
  /** `cause`: what the transcript shows behind the failure (port unreachable...), when it says more. */
  readonly failure?: { readonly step: string; readonly kind: string; readonly text: string; readonly cause?: string };
  readonly phase1?: {
    readonly encryption: string;
    readonly hash: string;
    readonly group: number;
    readonly authMethod: string;
    readonly lifeSeconds?: number;
    readonly message3: 'encrypted' | 'in clear';
    /** How message 3 came to count as accepted: a message under the SA, or silence. */
    readonly message3Confirmation: string;
    readonly natTraversal: { readonly method?: string; readonly floated: boolean };
    readonly initiatorCookie: string;
    readonly responderCookie: string;
    readonly responderIdentity: string;
  };
  readonly xauth?: { readonly rounds: number; readonly status?: 'ok' | 'failed'; readonly message?: string };
  readonly modeCfg?: { readonly address?: string; readonly netmask?: string; readonly dns: readonly string[]; readonly nbns: readonly string[] };
  readonly esp?: {
    readonly encryption: string;
    readonly integrity: string;
    readonly mode: 'tunnel' | 'UDP-encapsulated tunnel';
    readonly outboundSpi: string;
    readonly inboundSpi: string;
    readonly lifeSeconds?: number;
    readonly pfsGroup?: number;
    readonly localId?: string;
    readonly remoteId?: string;
    /** How Quick Mode message 3 was confirmed: ESP from the gateway, or no repeated message 2. */
    readonly confirmation?: string;
  };
  readonly transcript: readonly string[];
}

export function summarizeSession(result: TunnelSessionResult): SessionSummary {
  const transcript = formatSessionTranscript(result.transcript);
  if (result.outcome === 'failed') {
    const { step, kind, text } = result.failure;
    const cause = decisiveCause(result.transcript);
    return { outcome: 'failed', failure: { step, kind, text, ...(cause === undefined ? {} : { cause }) }, transcript };
  }
  const { sa, espSas, modeCfg, xauth } = result;
  const proposal = sa.negotiated.proposal;
  return {
    outcome: 'established',
    phase1: {
      encryption: proposal.encryption,
      hash: proposal.hash,
      group: proposal.group,
      authMethod: proposal.authMethod,
      ...(proposal.lifeSeconds === undefined ? {} : { lifeSeconds: proposal.lifeSeconds }),
      message3: sa.message3Encrypted ? 'encrypted' : 'in clear',
      message3Confirmation: result.confirmation,
      natTraversal: { ...(sa.natTraversal.method ? { method: sa.natTraversal.method } : {}), floated: sa.natTraversal.floated },
      initiatorCookie: sa.initiatorCookie.toString('hex'),
      responderCookie: sa.responderCookie.toString('hex'),
      responderIdentity: formatIdentity(sa.responderIdentity),
    },
    ...(proposal.authMethod === 'xauth-init-pre-shared' ? { xauth: { rounds: xauth.rounds, ...(xauth.status ? { status: xauth.status } : {}), ...(xauth.message ? { message: xauth.message } : {}) } } : {}),
    ...(modeCfg
      ? { modeCfg: { ...(modeCfg.address ? { address: modeCfg.address } : {}), ...(modeCfg.netmask ? { netmask: modeCfg.netmask } : {}), dns: modeCfg.dns, nbns: modeCfg.nbns } }
      : {}),
    ...(espSas
      ? {
          esp: {
            encryption: espSas.encryption,
            integrity: espSas.integrity,
            mode: espSas.udpEncapsulated ? ('UDP-encapsulated tunnel' as const) : ('tunnel' as const),
            outboundSpi: espSas.outbound.spi.toString('hex'),
            inboundSpi: espSas.inbound.spi.toString('hex'),
            ...(espSas.lifeSeconds === undefined ? {} : { lifeSeconds: espSas.lifeSeconds }),
            ...(espSas.pfsGroup === undefined ? {} : { pfsGroup: espSas.pfsGroup }),
            ...(espSas.localId ? { localId: formatIdentity(espSas.localId) } : {}),
            ...(espSas.remoteId ? { remoteId: formatIdentity(espSas.remoteId) } : {}),
            ...(result.quickModeConfirmation ? { confirmation: result.quickModeConfirmation } : {}),
          },
        }
      : {}),
    transcript,
  };
}

/** The final state in a few lines, for people. */
export function formatSessionSummary(summary: SessionSummary): string[] {
  if (summary.outcome === 'failed') {
    const failure = summary.failure!;
    return [`FAILED during ${failure.step} (${failure.kind}): ${failure.text}${failure.cause ? `; ${failure.cause}` : ''}`];
  }
  const lines = ['ESTABLISHED'];
  const { phase1, xauth, modeCfg, esp } = summary;
  if (phase1) {
    const nat = phase1.natTraversal.method ? `NAT-T ${phase1.natTraversal.method}${phase1.natTraversal.floated ? ', floated to the NAT-T port' : ''}` : 'no NAT-T';
    lines.push(
      `  ISAKMP SA   ${phase1.encryption} ${phase1.hash} DH group ${phase1.group} ${phase1.authMethod}${phase1.lifeSeconds === undefined ? '' : ` life ${phase1.lifeSeconds}s`}`,
      `              cookies ${phase1.initiatorCookie}:${phase1.responderCookie}, gateway ID ${phase1.responderIdentity}, message 3 ${phase1.message3} (${phase1.message3Confirmation}), ${nat}`,
    );
  }
  if (xauth) lines.push(`  XAUTH       ${xauth.status ?? 'no verdict'} after ${xauth.rounds} round(s)${xauth.message ? `: ${xauth.message}` : ''}`);
  if (modeCfg) {
    const address = modeCfg.address ? `${modeCfg.address}${modeCfg.netmask ? `/${modeCfg.netmask}` : ''}` : 'no address';
    const extras = [modeCfg.dns.length ? `dns ${modeCfg.dns.join(',')}` : '', modeCfg.nbns.length ? `wins ${modeCfg.nbns.join(',')}` : ''].filter(Boolean).join(' ');
    lines.push(`  virtual IP  ${address}${extras ? ` ${extras}` : ''}`);
  }
  if (esp) {
    lines.push(
      `  IPsec SA    ${esp.encryption} ${esp.integrity} ${esp.mode}${esp.lifeSeconds === undefined ? '' : ` life ${esp.lifeSeconds}s`}${esp.pfsGroup === undefined ? ', no PFS' : `, PFS group ${esp.pfsGroup}`}`,
      `              SPI out 0x${esp.outboundSpi} in 0x${esp.inboundSpi}${esp.localId && esp.remoteId ? `, ${esp.localId} <-> ${esp.remoteId}` : ''}${esp.confirmation ? `, message 3 ${esp.confirmation === 'unconfirmed' ? 'unconfirmed' : `confirmed (${esp.confirmation})`}` : ''}`,
    );
  } else {
    lines.push('  IPsec SA    none (no Quick Mode)');
  }
  return lines;
}
