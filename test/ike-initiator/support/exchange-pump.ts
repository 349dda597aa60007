/**
 * Carries effects between the router's initiating side (a branch RTX) and a responder (a hub
 * RTX) in memory, on a clock the test moves: no sockets, no waiting. Both are the real modules;
 * only the wire between them is this loop.
 */
import { readConfig } from '../../../src/config/read-config.js';
import { initiatingPolicyFromConfig } from '../../../src/ike-initiator/initiating-policy.js';
import { RtxIkeInitiator, type InitiatorSockets, type OriginationCheck } from '../../../src/ike-initiator/initiator.js';
import { policyFromConfig } from '../../../src/ike-responder/policy-from-config.js';
import type { Endpoint, InstalledIpsecSa, ResponderEffect, ResponderEvent } from '../../../src/ike-responder/port.js';
import { RtxIkeResponder } from '../../../src/ike-responder/responder.js';

export const HUB_ADDRESS = '127.20.15.2';
export const BRANCH_ADDRESS = '127.20.15.3';

export const BRANCH_SOCKETS: InitiatorSockets = {
  ike: { address: BRANCH_ADDRESS, port: 500 },
  natt: { address: BRANCH_ADDRESS, port: 4500 },
  peerIkePort: 500,
  peerNattPort: 4500,
};

/** A deterministic random source: a counter through SHA-256 would do; a simple LCG is enough here. */
function seededRandom(seed: number): (length: number) => Buffer {
  let state = seed >>> 0;
  return (length) => {
    const bytes = Buffer.alloc(length);
    for (let index = 0; index < length; index++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bytes[index] = state >>> 24;
    }
    return bytes;
  };
}

export interface SentDatagram {
  readonly side: 'branch' | 'hub';
  readonly to: Endpoint;
  readonly natTraversal: boolean;
}

export class ExchangePump {
  now = Date.UTC(2026, 0, 1);
  /** False: the hub's host is gone; what the branch sends is lost and the hub sends nothing. */
  hubUp = true;
  /** Branch datagrams to lose, by their ordinal (1 = the first the branch sends). */
  readonly loseFromBranch = new Set<number>();
  readonly branchLog: string[] = [];
  readonly hubLog: string[] = [];
  readonly sent: SentDatagram[] = [];
  readonly branchInstalled: InstalledIpsecSa[] = [];
  readonly hubInstalled: InstalledIpsecSa[] = [];
  /** The IKE messages the hub read, with the payloads it could decrypt. */
  readonly hubMessagesIn: Extract<ResponderEvent, { type: 'ike-message' }>[] = [];
  readonly branchRemoved: Extract<ResponderEffect, { kind: 'ipsec-sa-removed' }>[] = [];
  readonly initiator: RtxIkeInitiator;
  readonly responder: RtxIkeResponder;

  constructor(branchText: string, hubText: string, options: { outbound?: OriginationCheck } = {}) {
    this.initiator = new RtxIkeInitiator(initiatingPolicyFromConfig(readConfig(branchText).model), {
      random: seededRandom(1),
      ...(options.outbound === undefined ? {} : { outbound: options.outbound }),
    });
    this.responder = new RtxIkeResponder(policyFromConfig(readConfig(hubText).model), { randomBytes: seededRandom(2) });
  }

  start(): void {
    this.fromBranch(this.initiator.start(BRANCH_SOCKETS, this.now));
  }

  /** Moves the clock `ms` forward, running every deadline of both sides on the way. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (let steps = 0; steps < 10_000; steps++) {
      // A hub whose host is gone has no deadlines either: it neither answers nor sends.
      const due = [this.initiator.nextDeadline(), this.hubUp ? this.responder.nextDeadline() : undefined].filter((at): at is number => at !== undefined && at <= target);
      if (due.length === 0) break;
      this.now = Math.max(this.now, Math.min(...due));
      this.fromBranch(this.initiator.tick(this.now));
      if (this.hubUp) this.fromHub(this.responder.tick(this.now));
    }
    this.now = target;
  }

  fromBranch(effects: readonly ResponderEffect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'log':
          this.branchLog.push(effect.message);
          break;
        case 'ipsec-sa-installed':
          this.branchInstalled.push(effect.sa);
          break;
        case 'ipsec-sa-removed':
          this.branchRemoved.push(effect);
          break;
        case 'send':
          this.sent.push({ side: 'branch', to: effect.to, natTraversal: effect.natTraversal });
          if (this.loseFromBranch.has(this.branchSends().length)) break;
          if (this.hubUp) this.fromHub(this.responder.receive({ bytes: effect.bytes, from: effect.from, local: effect.to, natTraversal: effect.natTraversal }, this.now));
          break;
        default:
          break;
      }
    }
  }

  fromHub(effects: readonly ResponderEffect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'log':
          this.hubLog.push(effect.message);
          break;
        case 'ipsec-sa-installed':
          this.hubInstalled.push(effect.sa);
          break;
        case 'event':
          if (effect.event.type === 'ike-message' && effect.event.direction === 'in') this.hubMessagesIn.push(effect.event);
          break;
        case 'send': {
          this.sent.push({ side: 'hub', to: effect.to, natTraversal: effect.natTraversal });
          const datagram = { bytes: effect.bytes, from: effect.from, local: effect.to, natTraversal: effect.natTraversal };
          if (this.initiator.owns(effect.bytes)) this.fromBranch(this.initiator.receive(datagram, this.now));
          break;
        }
        default:
          break;
      }
    }
  }

  branchSends(): SentDatagram[] {
    return this.sent.filter((datagram) => datagram.side === 'branch');
  }
}
