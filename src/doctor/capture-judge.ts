/**
 * `rtxlab doctor --pcap`: a real client's capture against a config, judged on what travels in
 * clear (no keys): message 1 is replayed to an in-process router with the config, which says
 * itself whether it would answer (its ID, its proposals); message 3's E flag is compared with the
 * gateway's payload type. What follows message 3 is encrypted: doctor says it could not see it.
 */
import { createSocket } from 'node:dgram';
import { decodeMessage, describeProposal, formatIdentity, readIdentity, type Identity } from '../ike/codec/index.js';
import { ExchangeType, IsakmpFlag, notifyTypeName } from '../ike/constants.js';
import { RtxRouter } from '../router/rtx-router.js';
import { proposeFixes, type Fix } from './fixes.js';
import type { CapturedIke } from './pcap-file.js';
import { gatewayForId, routerSettings } from './router-settings.js';
import type { DoctorScenario } from './scenario.js';
import type { StoppingPoint } from './stopping-point.js';

export type CaptureVerdict =
  | { readonly kind: 'no-client'; readonly why: string }
  | { readonly kind: 'diverges'; readonly point: StoppingPoint; readonly evidence: string; readonly fixes: readonly Fix[] }
  | { readonly kind: 'no-divergence-in-clear' };

export interface CaptureReport {
  readonly client?: string;
  /** What doctor read in clear, one line each. */
  readonly seen: readonly string[];
  readonly verdict: CaptureVerdict;
  /** What it could not judge without keys. */
  readonly unseen?: string;
}

/** How long the replayed message 1 may take to draw the router's answer or refusal. */
const REPLAY_WAIT_MS = 500;

export async function judgeCapture(datagrams: readonly CapturedIke[], configText: string): Promise<CaptureReport> {
  const decoded = datagrams.map((datagram) => ({ datagram, header: decodeMessage(datagram.message) }));
  const first = decoded.find(({ header }) => header.ok && header.value.header.exchangeType === ExchangeType.AGGRESSIVE && header.value.header.responderCookie.every((byte) => byte === 0));
  if (!first || !first.header.ok || first.header.value.kind !== 'cleartext') {
    return { seen: [], verdict: { kind: 'no-client', why: 'no Aggressive Mode message 1 in the capture (doctor reads remote-access clients in Aggressive Mode)' } };
  }
  const client = first.datagram.from;
  const message1 = first.header.value;
  const seen: string[] = [];
  const idPayload = message1.payloads.find((payload) => payload.type === 'id');
  const readId = idPayload?.type === 'id' ? readIdentity(idPayload.idType, idPayload.data) : undefined;
  const identity: Identity | undefined = readId?.ok ? readId.value : undefined;
  const offer = message1.payloads.flatMap((payload) => (payload.type === 'sa' ? payload.proposals.map(describeProposal) : [])).join('; ');
  seen.push(`message 1 from ${client.address}:${client.port}: ID ${identity ? formatIdentity(identity) : '(unreadable)'}, offers ${offer || '(no SA)'}`);
  const scenario: DoctorScenario = {
    configText,
    routerLines: [],
    client: { profile: 'yms-vpn1', inputs: { identity: identity ?? { kind: 'fqdn', name: '' }, preSharedKey: Buffer.alloc(0), xauth: { userName: '', password: '' } }, overrides: {}, count: 1 },
  };
  const settings = await routerSettings(scenario);
  const routerFixes = (point: StoppingPoint): Fix[] => {
    const proposal = proposeFixes(point, scenario, settings);
    // A capture's client cannot be re-run: only router lines can be offered for it.
    return proposal.kind === 'candidates' ? proposal.fixes.filter((fix) => fix.side === 'router') : [];
  };

  const replay = await replayMessage1(first.datagram.message, configText);
  seen.push(`message 1 replayed to the config: ${replay.line ?? 'no answer'}`);
  if (replay.point) return { client: client.address, seen, verdict: { kind: 'diverges', point: replay.point, evidence: replay.line ?? '', fixes: replay.point.kind === 'phase1-no-proposal-chosen' ? [] : routerFixes(replay.point) } };

  const cookie = message1.header.initiatorCookie;
  const sameSa = decoded.filter(({ datagram, header }) => header.ok && header.value.header.initiatorCookie.equals(cookie) && datagram !== first.datagram);
  // By address and port: on loopback (rtxlab's own captures) client and gateway share an address.
  const fromClient = (endpoint: CapturedIke['from']) => endpoint.address === client.address && endpoint.port === client.port;
  const message3 = sameSa.find(({ datagram, header }) => header.ok && fromClient(datagram.from) && header.value.header.exchangeType === ExchangeType.AGGRESSIVE);
  const fromGateway = sameSa.filter(({ datagram }) => !fromClient(datagram.from));
  for (const { header } of fromGateway) {
    if (header.ok && header.value.kind === 'cleartext' && header.value.header.exchangeType === ExchangeType.INFORMATIONAL) {
      const notes = header.value.payloads.flatMap((payload) => (payload.type === 'notify' ? [notifyTypeName(payload.notifyType)] : []));
      if (notes.length > 0) seen.push(`the gateway in the capture sent, in clear: N(${notes.join(', ')})`);
    }
  }
  if (!message3 || !message3.header.ok) return { client: client.address, seen, verdict: { kind: 'no-divergence-in-clear' }, unseen: 'the capture has no message 3 from the client' };
  const encrypted = (message3.header.value.header.flags & IsakmpFlag.ENCRYPTION) !== 0;
  seen.push(`message 3: ${encrypted ? 'encrypted' : 'in clear'}`);
  const gateway = gatewayForId(settings, identity ? formatIdentity(identity) : '');
  if (encrypted && gateway && gateway.payloadType !== 3) {
    const point: StoppingPoint = { kind: 'encrypted-message3-refused' };
    return { client: client.address, seen, verdict: { kind: 'diverges', point, evidence: `message 3 has the E flag; gateway ${gateway.gatewayId} has payload type ${gateway.payloadType}`, fixes: routerFixes(point) } };
  }
  return {
    client: client.address,
    seen,
    verdict: { kind: 'no-divergence-in-clear' },
    unseen: 'XAUTH, mode-cfg and Quick Mode travel encrypted: without the keys doctor cannot judge them (run the client with `rtxlab doctor --client` for those steps)',
  };
}

/** Sends the captured message 1 to a fresh router with the config and reads its verdict from its log. */
async function replayMessage1(message: Buffer, configText: string): Promise<{ point?: StoppingPoint; line?: string }> {
  const router = await RtxRouter.create({ config: { text: configText }, bind: '127.0.0.1', ikePort: 0, nattPort: 0, hints: false });
  const verdict = new Promise<{ point?: StoppingPoint; line?: string }>((resolve) => {
    router.on('log', (event) => {
      const line = event.entry.message;
      const unknownId = /no gateway for ID "([^"]*)"/.exec(line);
      if (unknownId) resolve({ point: { kind: 'unknown-id', id: unknownId[1]! }, line });
      else if (/no proposal chosen/.test(line)) resolve({ point: { kind: 'phase1-no-proposal-chosen' }, line });
      else if (/respond ISAKMP phase/.test(line)) resolve({ line });
    });
    setTimeout(() => resolve({}), REPLAY_WAIT_MS);
  });
  const listening = await router.start();
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.send(message, listening.ike.port, '127.0.0.1');
    return await verdict;
  } finally {
    socket.close();
    await router.stop();
  }
}

export function formatCaptureReport(report: CaptureReport, source: string, describeStop: (point: StoppingPoint) => string, describeFix: (fix: Fix) => string): string[] {
  const lines = [`rtxlab doctor: capture ${source}${report.client ? `, client ${report.client}` : ''}`, ''];
  for (const line of report.seen) lines.push(`   seen     ${line}`);
  const verdict = report.verdict;
  switch (verdict.kind) {
    case 'no-client':
      lines.push('', `verdict  nothing to judge: ${verdict.why}`);
      break;
    case 'diverges':
      lines.push('', `diverges: ${describeStop(verdict.point)}`, `   why      ${verdict.evidence}`);
      for (const fix of verdict.fixes) lines.push(`   fix      ${describeFix(fix)}`, `            why: ${fix.why}`);
      if (verdict.fixes.length === 0) lines.push('   fix      none computed from a capture (compare the offer above with the gateway\'s `ipsec ike encryption/hash/group`)');
      lines.push('', 'verdict  the client does not connect to this config');
      break;
    case 'no-divergence-in-clear':
      lines.push('', 'verdict  what travels in clear matches what the router accepts');
      break;
  }
  if (report.unseen) lines.push(`not seen ${report.unseen}`);
  return lines;
}
