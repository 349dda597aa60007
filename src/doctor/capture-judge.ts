/**
 * `rtxlab doctor --pcap`: a real client's capture against a config, judged on what travels in
 * clear (no keys): message 1 is replayed to an in-process router with the config, which says
 * itself whether it would answer (its ID, its proposals); message 3's E flag is compared with the
 * gateway's payload type. What follows message 3 is encrypted: doctor says it could not see it.
 */
import { createSocket } from 'node:dgram';
import { decodeMessage, describePayload, describeProposal, formatIdentity, readIdentity, type DecodedPayload, type Identity } from '../ike/codec/index.js';
import { CfgType, ExchangeType, exchangeTypeName, IsakmpFlag, ModeCfgAttribute, NotifyType, notifyTypeName } from '../ike/constants.js';
import { openCapturedSa, type OpenedMessage } from './capture-decrypt.js';
import { captureSides } from './capture-sides.js';
import { RtxRouter } from '../router/rtx-router.js';
import { proposeFixes, type Fix } from './fixes.js';
import type { CapturedIke } from './pcap-file.js';
import { gatewayForId, routerSettings } from './router-settings.js';
import type { ClientSetup, DoctorScenario } from './scenario.js';
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

export async function judgeCapture(datagrams: readonly CapturedIke[], configText: string, keys?: ReadonlyMap<string, Buffer>): Promise<CaptureReport> {
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
  const sides = captureSides([first.datagram, ...sameSa.map(({ datagram }) => datagram)], first.datagram);
  const fromClient = (datagram: CapturedIke) => sides.get(datagram) === 'client';
  const message3 = sameSa.find(({ datagram, header }) => header.ok && fromClient(datagram) && header.value.header.exchangeType === ExchangeType.AGGRESSIVE);
  const fromGateway = sameSa.filter(({ datagram }) => !fromClient(datagram));
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
  const key = keys?.get(cookie.toString('hex'));
  if (key) {
    const sa = [{ datagram: first.datagram, decoded: message1 }, ...sameSa.flatMap(({ datagram, header }) => (header.ok ? [{ datagram, decoded: header.value }] : []))];
    const opening = openCapturedSa(sa, key);
    if (!opening.ok) return { client: client.address, seen, verdict: { kind: 'no-divergence-in-clear' }, unseen: `the keys did not open the SA: ${opening.why}` };
    const verdict = judgeOpened(opening.messages, fromClient, routerFixes, seen);
    return { client: client.address, seen, verdict };
  }
  return {
    client: client.address,
    seen,
    verdict: { kind: 'no-divergence-in-clear' },
    unseen: 'XAUTH, mode-cfg and Quick Mode travel encrypted: without the keys doctor cannot judge them (--keys FILE, or run the client with `rtxlab doctor --client` for those steps)',
  };
}

/** The opened exchanges after Phase 1, judged in order: the first divergence wins. */
function judgeOpened(messages: readonly OpenedMessage[], fromClient: (datagram: CapturedIke) => boolean, routerFixes: (point: StoppingPoint) => Fix[], seen: string[]): CaptureVerdict {
  const clientRefusedSet = messages.some(({ datagram, payloads }) => fromClient(datagram) && (payloads ?? []).some((payload) => payload.type === 'notify' && payload.notifyType === NotifyType.INVALID_MESSAGE_ID));
  for (const message of messages) {
    const who = fromClient(message.datagram) ? 'client' : 'gateway';
    if (!message.payloads) {
      seen.push(`${who}: ${exchangeTypeName(message.exchangeType)} 0x${message.messageId.toString(16)} could not be opened (${message.problem})`);
      if (who === 'client') {
        const point: StoppingPoint = { kind: 'pre-shared-key-mismatch', seenBy: 'router' };
        return { kind: 'diverges', point, evidence: "the client's message does not decrypt with the router's key: the pre-shared keys differ", fixes: [] };
      }
      continue;
    }
    seen.push(`${who}: ${exchangeTypeName(message.exchangeType)} ${message.payloads.map(describeOpened).join(' ')}`);
    for (const payload of message.payloads) {
      if (payload.type !== 'attributes') continue;
      const types = payload.attributes.map((attribute) => attribute.type);
      if (who === 'client' && payload.cfgType === CfgType.REQUEST && types.includes(ModeCfgAttribute.INTERNAL_IP4_ADDRESS)) {
        const point: StoppingPoint = { kind: 'mode-cfg-pull', refusesPushedSet: clientRefusedSet };
        const fix: Fix[] = clientRefusedSet ? [] : [{ side: 'client', change: 'take the pushed address (strongSwan `pull = no`)', client: CAPTURE_CLIENT, why: 'the client pulls its address with a REQUEST; an RTX never answers one, it pushes a SET' }];
        return { kind: 'diverges', point, evidence: 'the client sent a mode-cfg REQUEST for INTERNAL-IP4-ADDRESS', fixes: fix };
      }
      const valued = payload.attributes.find((attribute) => attribute.type < ModeCfgAttribute.XAUTH_TYPE && (attribute.format === 'tv' || attribute.value.length > 0));
      if (who === 'client' && payload.cfgType === CfgType.ACK && valued) {
        const point: StoppingPoint = { kind: 'mode-cfg-ack-with-values' };
        return { kind: 'diverges', point, evidence: `the client's mode-cfg ACK carries a value for attribute ${valued.type}`, fixes: routerFixes(point) };
      }
      const status = payload.attributes.find((attribute) => attribute.type === ModeCfgAttribute.XAUTH_STATUS);
      if (who === 'gateway' && payload.cfgType === CfgType.SET && status?.format === 'tv' && status.value === 0) {
        const point: StoppingPoint = { kind: 'xauth-refused', user: '(as sent)', reason: 'XAUTH-STATUS FAIL' };
        return { kind: 'diverges', point, evidence: 'the gateway answered the XAUTH REPLY with XAUTH-STATUS 0 (FAIL)', fixes: [] };
      }
    }
  }
  return { kind: 'no-divergence-in-clear' };
}

/** Placeholder client for fixes to a captured client: the change is advice, it cannot be re-run. */
const CAPTURE_CLIENT: ClientSetup = { profile: 'strongswan-5.9', inputs: { identity: { kind: 'fqdn', name: '' }, preSharedKey: Buffer.alloc(0), xauth: { userName: '', password: '' } }, overrides: {}, count: 1 };

function describeOpened(payload: DecodedPayload): string {
  const described = describePayload(payload);
  return described.detail ? `${described.name}(${described.detail})` : described.name;
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
      lines.push('', 'verdict  nothing doctor could read diverges from what the router accepts');
      break;
  }
  if (report.unseen) lines.push(`not seen ${report.unseen}`);
  return lines;
}
