/**
 * rtxlab's hints: one `rtxlab:` line where rtxlab can say more than an RTX would about why a
 * client fails (a wrong pre-shared key inferred from what the client sent after message 2, a
 * client that pulls mode-cfg, an ACK with values under the default method, Phase 1 or Quick Mode
 * proposals without a common one). Each names its exchange (`exchange`), as `ike-message` events do. They are NOT RTX text: the router emits them as `hint` events only, so they reach
 * rtxlab's own output (`rtxlab start` stdout, `--events ndjson`) and never `show log`, syslog, a
 * console session or the matrix's decisive line (docs/fidelity.md, "rtxlab's own words").
 *
 * Pure: the watcher reads the router's own events (its log lines and decoded IKE messages) and
 * answers the hints they call for; it keeps one small record per peer address.
 */
import type { ConfigModel } from '../config/model.js';
import { policyFromConfig } from '../ike-responder/policy-from-config.js';
import type { RouterEvent } from './rtx-router-api.js';

/** The exchange a hint is about, named as `ike-message` events name exchanges. */
export type HintExchange = 'AGGRESSIVE' | 'TRANSACTION' | 'QUICK_MODE';

export interface Hint {
  /** The client's address, when the hint is about one client. */
  readonly peer?: string;
  /** Where the client stopped: Phase 1 (Aggressive Mode), XAUTH/mode-cfg (Transaction) or Quick Mode. */
  readonly exchange: HintExchange;
  readonly text: string;
}

/** What the watcher needs to know of the config: each enabled gateway's Phase 1 suite, as the RTX words it. */
export interface HintContext {
  readonly gatewaySuites: () => readonly { readonly gatewayId: number; readonly suite: string }[];
}

interface PeerRecord {
  /** The SA payload of the client's last Aggressive Mode message 1, as decoded. */
  offered?: string;
  /** Message 2 went out and no ISAKMP SA is up yet: what comes next tells whether the client took it. */
  awaitingMessage3: boolean;
  /** The last message in was an encrypted Aggressive Mode message 3. */
  lastInWasEncryptedMessage3: boolean;
  /** Each hint once per peer and negotiation: resends must not repeat it. */
  said: Set<string>;
}

/** Peers remembered at most; the oldest record goes first (bounded state, docs/robustness.md). */
const MAX_PEERS = 256;

/** Every line observeLog has a hint for matches this (and most lines do not). */
const HINTED_LINE = /no proposal chosen|payload malformed|HASH mismatch|mode-cfg REQUEST from|mode-cfg ACK attribute/;

/** The peer's address as the responder's lines give it: `(192.0.2.1)`, else `from 192.0.2.1` or `with 192.0.2.1`. */
const PEER_IN_PARENS = /\(([0-9a-f.:]+)\)/i;

export class HintWatcher {
  private readonly peers = new Map<string, PeerRecord>();

  constructor(private readonly context: HintContext) {}

  observe(event: RouterEvent): Hint[] {
    switch (event.type) {
      case 'ike-message':
        return this.observeMessage(event.message);
      case 'isakmp-sa-up':
        this.record(event.peer.address).awaitingMessage3 = false;
        return [];
      case 'log':
        return this.observeLog(event.entry.message);
      default:
        return [];
    }
  }

  /**
   * Whether the watcher reads the details of this message's payloads (the SA a client offers in
   * Aggressive Mode message 1); of every other message it reads only the payload names, so a
   * router nobody else listens to need not describe them.
   */
  static readsPayloadDetails(message: { readonly direction: 'in' | 'out'; readonly exchange: string; readonly encrypted: boolean }): boolean {
    return message.exchange === 'AGGRESSIVE' && message.direction === 'in' && !message.encrypted;
  }

  private observeMessage(message: Extract<RouterEvent, { type: 'ike-message' }>['message']): Hint[] {
    const peer = message.peer.address;
    const record = this.record(peer);
    if (HintWatcher.readsPayloadDetails(message)) {
      const sa = message.payloads.find((payload) => payload.name === 'SA');
      if (sa) {
        // A new message 1: a new negotiation, whose hints may be said again.
        record.offered = sa.detail ?? '(no details)';
        record.said.clear();
      }
    }
    if (message.exchange === 'AGGRESSIVE' && message.direction === 'out') record.awaitingMessage3 = true;
    if (message.direction === 'in') record.lastInWasEncryptedMessage3 = message.exchange === 'AGGRESSIVE' && message.encrypted && record.awaitingMessage3;
    // The client answered message 2 with an encrypted Informational: it derived keys and rejected
    // what it got, which is what strongSwan does when HASH_R does not verify.
    if (message.direction === 'in' && message.exchange === 'INFORMATIONAL' && message.encrypted && record.awaitingMessage3) {
      return this.once(record, 'psk', peer, 'AGGRESSIVE', `${peer} sent an encrypted Informational instead of message 3: the client rejected message 2, most likely because its HASH_R check failed, i.e. the pre-shared keys differ (check \`ipsec ike pre-shared-key\` against the client's key)`);
    }
    return [];
  }

  private observeLog(line: string): Hint[] {
    // Most lines call for no hint: one test first, instead of a record and six patterns per line.
    if (!HINTED_LINE.test(line)) return [];
    const peer = PEER_IN_PARENS.exec(line)?.[1] ?? /(?:from|with) ([0-9a-f.:]+)/i.exec(line)?.[1];
    if (peer === undefined) return [];
    const record = this.record(peer);
    if (/\[IKE\] no proposal chosen/.test(line)) {
      const ours = this.context.gatewaySuites().map(({ gatewayId, suite }) => `gateway ${gatewayId}: ${suite}`).join('; ');
      return this.once(record, 'proposal', peer, 'AGGRESSIVE', `no common Phase 1 proposal with ${peer}: it offers ${record.offered ?? '(its message 1 was not seen)'}; the router takes ${ours || 'no enabled gateway'}`);
    }
    if (/\[IKE\] payload malformed : no message/.test(line)) {
      return this.once(record, 'payload-type', peer, 'AGGRESSIVE', `${peer} encrypted Aggressive Mode message 3, which the RTX reads only under payload type 3: \`ipsec ike payload type GW 3\` (the seed's line for OpenSWAN; vpnc, strongSwan and libreswan encrypt it too)`);
    }
    if (/\[IKE\] payload malformed \([^)]*\): (?!mode-cfg)/.test(line) && record.lastInWasEncryptedMessage3) {
      return this.once(record, 'psk', peer, 'AGGRESSIVE', `message 3 from ${peer} did not decrypt to a valid message with the key this router derived: the pre-shared keys most likely differ`);
    }
    if (/\[IKE\] HASH mismatch/.test(line)) {
      return this.once(record, 'psk', peer, 'AGGRESSIVE', `HASH_I from ${peer} does not verify: the client's pre-shared key differs from \`ipsec ike pre-shared-key\` (or its ID is not the one it was configured for)`);
    }
    if (/mode-cfg REQUEST from \S+ not answered/.test(line)) {
      return this.once(record, 'pull', peer, 'TRANSACTION', `${peer} pulls its address with a mode-cfg REQUEST; an RTX only pushes it (SET) and has no setting to answer a REQUEST: set the client to take a pushed address (strongSwan \`pull = no\`); vpnc 0.5 cannot, give it a static inner address`);
    }
    const ipsecProposals = /\[IKE\] IPsec phase with \S+ refused: no proposal chosen: (.*)$/.exec(line);
    if (ipsecProposals) {
      return this.once(record, 'ipsec-proposal', peer, 'QUICK_MODE', `no common Quick Mode (IPsec) proposal with ${peer} (${ipsecProposals[1]}): compare the client's ESP proposal with the tunnel's \`ipsec sa policy\` (under negotiate-strictly off the RTX1500 also takes 3des-cbc, des-cbc, aes-cbc 128 with sha-hmac or md5-hmac)`);
    }
    const valued = /mode-cfg ACK attribute (\S+) carries a value/.exec(line);
    if (valued) {
      return this.once(record, 'ack-values', peer, 'TRANSACTION', `${peer} acknowledged the mode-cfg SET with values (${valued[1]}), as OpenSWAN and libreswan do; under the default mode-cfg method this is refused, \`ipsec ike mode-cfg method GW set openswan\` takes it (hypothesis H3, docs/matrix.md)`);
    }
    return [];
  }

  private once(record: PeerRecord, key: string, peer: string, exchange: HintExchange, text: string): Hint[] {
    if (record.said.has(key)) return [];
    record.said.add(key);
    return [{ peer, exchange, text }];
  }

  private record(peer: string): PeerRecord {
    let record = this.peers.get(peer);
    if (record === undefined) {
      if (this.peers.size >= MAX_PEERS) this.peers.delete(this.peers.keys().next().value!);
      record = { awaitingMessage3: false, lastInWasEncryptedMessage3: false, said: new Set() };
      this.peers.set(peer, record);
    }
    return record;
  }
}

/** Each enabled gateway's Phase 1 suite in the config's words (`3des-cbc sha modp1024`). */
export function gatewaySuites(model: ConfigModel): { gatewayId: number; suite: string }[] {
  return policyFromConfig(model)
    .gateways.filter((gateway) => gateway.enabled)
    .map((gateway) => ({ gatewayId: gateway.gatewayId, suite: `${gateway.encryption} ${gateway.hash} ${gateway.group}${gateway.negotiateStrictly ? ' (negotiate-strictly)' : ' (or any the RTX1500 supports: negotiate-strictly off)'}` }));
}
