/**
 * The ladder: each peer's IKE negotiation (one ISAKMP SA, by cookies) as a two-column sequence
 * diagram, built from router events only (`ike-message` for the rungs; `xauth`,
 * `isakmp-sa-down`, `ipsec-sa-up` for how it ended; `log` for the router's decisive line, chosen
 * by the rule `rtxlab matrix` uses). Pure: events in, ladder views out; no clock, no I/O.
 *
 * Bounded: a router under a flood of half-open negotiations must not grow the page without end,
 * so only the newest ladders, rungs and log lines are kept.
 */
import { decisiveLogLine } from '../matrix/judge.js';
import type { DecodedIkeMessage, RouterEventOf } from '../router/rtx-router-api.js';
import type { LadderOutcome, LadderRung, LadderView } from './messages.js';

/** The events a ladder is made of. */
export type LadderEvent =
  | RouterEventOf<'ike-message'>
  | RouterEventOf<'xauth'>
  | RouterEventOf<'isakmp-sa-down'>
  | RouterEventOf<'ipsec-sa-up'>
  | RouterEventOf<'log'>;

export interface LadderLimits {
  readonly ladders: number;
  readonly rungsPerLadder: number;
  readonly logLines: number;
}

export const DEFAULT_LADDER_LIMITS: LadderLimits = { ladders: 50, rungsPerLadder: 200, logLines: 2000 };

interface LadderRecord {
  readonly initiatorCookie: string;
  responderCookie: string;
  /** The peer as its newest message came from (NAT-T moves it from port 500 to 4500). */
  peer: string;
  /** Every peer endpoint its messages used (its packets, for the capture download). */
  readonly endpoints: Set<string>;
  readonly startedAt: number;
  readonly rungs: LadderRung[];
  established: boolean;
  refused: boolean;
  gone: boolean;
  /** Non-retransmitted messages seen per exchange and M-ID, for `AM 2`, `QM 3`. */
  readonly positions: Map<string, number>;
}

const ZERO_COOKIE = '0000000000000000';

const endpointText = (endpoint: { readonly address: string; readonly port: number }): string =>
  endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;

export class LadderBook {
  /** By initiator cookie: the responder's cookie is zero in the first message. */
  private readonly ladders = new Map<string, LadderRecord>();
  private readonly logLines: { readonly time: number; readonly message: string }[] = [];

  constructor(private readonly limits: LadderLimits = DEFAULT_LADDER_LIMITS) {}

  /** Takes one event; answers whether any ladder changed (the server pushes only then). */
  apply(event: LadderEvent): boolean {
    switch (event.type) {
      case 'ike-message':
        return this.message(event.message);
      case 'xauth': {
        const ladder = this.ladders.get(event.cookies.initiator);
        if (ladder === undefined || event.ok) return false;
        ladder.refused = true;
        return true;
      }
      case 'isakmp-sa-down': {
        const ladder = this.ladders.get(event.cookies.initiator);
        if (ladder === undefined) return false;
        ladder.gone = true;
        if (event.reason === 'failed') ladder.refused = true;
        return true;
      }
      case 'ipsec-sa-up': {
        // IPsec SA events carry the peer, not the cookies: the newest ladder from that endpoint made it.
        const peer = endpointText(event.sa.peer);
        const ladder = [...this.ladders.values()].reverse().find((candidate) => candidate.peer === peer && !candidate.gone);
        if (ladder === undefined || ladder.established) return false;
        ladder.established = true;
        return true;
      }
      case 'log':
        this.logLines.push({ time: event.entry.time, message: event.entry.message });
        if (this.logLines.length > this.limits.logLines) this.logLines.splice(0, this.logLines.length - this.limits.logLines);
        // A new line may be the decisive line of a ladder that is not established: one naming its peer.
        return [...this.ladders.values()].some((ladder) => outcomeOf(ladder) !== 'established' && namesPeer(ladder, event.entry.message));
    }
  }

  /** Every ladder kept, oldest first. */
  views(): LadderView[] {
    return [...this.ladders.values()].map((ladder) => this.view(ladder));
  }

  private message(message: DecodedIkeMessage): boolean {
    let ladder = this.ladders.get(message.cookies.initiator);
    if (ladder === undefined) {
      ladder = {
        initiatorCookie: message.cookies.initiator,
        responderCookie: message.cookies.responder,
        peer: endpointText(message.peer),
        endpoints: new Set(),
        startedAt: message.time,
        rungs: [],
        established: false,
        refused: false,
        gone: false,
        positions: new Map(),
      };
      this.ladders.set(message.cookies.initiator, ladder);
      if (this.ladders.size > this.limits.ladders) {
        const oldest = this.ladders.keys().next().value;
        if (oldest !== undefined) this.ladders.delete(oldest);
      }
    }
    if (ladder.responderCookie === ZERO_COOKIE) ladder.responderCookie = message.cookies.responder;
    ladder.peer = endpointText(message.peer);
    ladder.endpoints.add(ladder.peer);
    if (ladder.rungs.length >= this.limits.rungsPerLadder) return false;
    ladder.rungs.push(rungOf(message, ladder.positions));
    return true;
  }

  /**
   * What the ladder a view named `id` is about, for its download: the initiator cookie (its
   * ISAKMP SA's keys) and the peer endpoints its messages used (its packets). Undefined: no such
   * ladder kept.
   */
  scopeOf(id: string): { readonly initiatorCookie: string; readonly endpoints: ReadonlySet<string> } | undefined {
    const ladder = [...this.ladders.values()].find((candidate) => idOf(candidate) === id);
    return ladder === undefined ? undefined : { initiatorCookie: ladder.initiatorCookie, endpoints: ladder.endpoints };
  }

  private view(ladder: LadderRecord): LadderView {
    const outcome = outcomeOf(ladder);
    const base = {
      id: idOf(ladder),
      peer: ladder.peer,
      initiatorCookie: ladder.initiatorCookie,
      startedAt: ladder.startedAt,
      rungs: [...ladder.rungs],
      outcome,
    };
    if (outcome === 'established' || outcome === 'closed' || ladder.rungs.length === 0) return base;
    const decisiveLine = decisiveLogLine(this.linesAbout(ladder));
    return { ...base, stop: { lastRung: ladder.rungs.length - 1, ...(decisiveLine === undefined ? {} : { decisiveLine }) } };
  }

  /** The log lines since the ladder began that name its peer's address (the RTX logs peers by address). */
  private linesAbout(ladder: LadderRecord): string[] {
    return this.logLines.filter((line) => line.time >= ladder.startedAt && namesPeer(ladder, line.message)).map((line) => line.message);
  }
}

/** Whether a log message names the ladder's peer address as a whole word (192.0.2.1 is not 192.0.2.10). */
function namesPeer(ladder: LadderRecord, message: string): boolean {
  const address = ladder.peer.replace(/^\[?(.*?)\]?:\d+$/, '$1');
  for (let at = message.indexOf(address); at >= 0; at = message.indexOf(address, at + 1)) {
    const before = message[at - 1] ?? ' ';
    const after = message[at + address.length] ?? ' ';
    const continues = /[0-9A-Za-z]/.test(after) || (after === '.' && /[0-9]/.test(message[at + address.length + 1] ?? ''));
    if (!/[0-9A-Za-z.:]/.test(before) && !continues) return true;
  }
  return false;
}

function idOf(ladder: LadderRecord): string {
  return ladder.responderCookie === ZERO_COOKIE ? ladder.initiatorCookie : `${ladder.initiatorCookie}:${ladder.responderCookie}`;
}

function outcomeOf(ladder: LadderRecord): LadderOutcome {
  if (ladder.refused) return 'failed';
  if (ladder.established) return ladder.gone ? 'closed' : 'established';
  return ladder.gone ? 'failed' : 'negotiating';
}

function rungOf(message: DecodedIkeMessage, positions: Map<string, number>): LadderRung {
  return {
    direction: message.direction,
    time: message.time,
    exchange: message.exchange,
    messageId: message.messageId.toString(16).padStart(8, '0'),
    encrypted: message.encrypted,
    label: labelOf(message, positions),
    payloads: message.payloads.map((payload) => (payload.detail === undefined ? { name: payload.name } : { name: payload.name, detail: payload.detail })),
    retransmission: message.retransmission,
  };
}

/**
 * What the message is in a remote-access negotiation: its place in the exchange (`AM 2`, `QM 3`:
 * RFC 2409 §5.4, §5.5), or for a Transaction the config type and whether it carries XAUTH
 * attributes (draft-beaulieu-ike-xauth-02) or mode-cfg ones (draft-dukes-ike-mode-cfg-02).
 * A retransmission repeats its original's place.
 */
function labelOf(message: DecodedIkeMessage, positions: Map<string, number>): string {
  const key = `${message.exchange}/${message.messageId}`;
  const seen = positions.get(key) ?? 0;
  const position = message.retransmission ? Math.max(seen, 1) : seen + 1;
  if (!message.retransmission) positions.set(key, position);
  switch (message.exchange) {
    case 'AGGRESSIVE':
      return `AM ${position}`;
    case 'IDENTITY-PROTECTION':
      return `MM ${position}`;
    case 'QUICK-MODE':
      return `QM ${position}`;
    case 'TRANSACTION': {
      const attributes = message.payloads.find((payload) => payload.name === 'ATTR')?.detail;
      if (attributes === undefined) return 'TRANSACTION';
      const [cfgType = '', ...names] = attributes.split(' ');
      return names.some((name) => name.startsWith('XAUTH')) ? `XAUTH ${cfgType}` : `mode-cfg ${cfgType}`;
    }
    case 'INFORMATIONAL': {
      const first = message.payloads.find((payload) => payload.name === 'N' || payload.name === 'D');
      if (first === undefined) return 'INFORMATIONAL';
      return first.name === 'D' ? 'Delete' : `Notify ${first.detail?.split(' ')[0] ?? ''}`.trim();
    }
    default:
      return message.exchange;
  }
}
