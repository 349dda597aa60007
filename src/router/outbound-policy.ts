/**
 * Where the router may originate traffic (syslog now; IKE initiation and keepalives later).
 *
 * A config copied from a production router names production peers and log hosts. rtxlab must
 * not start talking to them because someone ran it on that config, so by default what it
 * originates goes only to loopback (127.0.0.0/8, ::1) and to the addresses of this host's own
 * interfaces; `--allow-outbound` (`allowOutbound`) lifts the rule. Answers to datagrams that
 * arrived are not originated traffic and are not checked here.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { canonicalAddress } from './ip-literal.js';

export interface OutboundPolicyOptions {
  /** `--allow-outbound`: any destination. */
  readonly allowOutbound: boolean;
  /** This host's interface addresses (default: `os.networkInterfaces()` when the policy is made). */
  readonly hostAddresses?: readonly string[];
}

export type OutboundDecision =
  | { readonly permitted: true }
  | {
      readonly permitted: false;
      /** True the first time this destination is refused for this purpose: log `notice` then, once. */
      readonly firstRefusal: boolean;
      /** One line saying what was not sent, where, and how to allow it. */
      readonly notice: string;
    };

export interface OutboundPolicy {
  readonly allowOutbound: boolean;
  /** Whether traffic may go to `address` (an IP literal; anything else is refused). Pure. */
  permits(address: string): boolean;
  /**
   * The decision for one thing the router wants to send, `purpose` naming it in the notice
   * (`syslog`, `IKE`). Remembers refusals so the caller logs each destination once.
   */
  check(address: string, purpose: string): OutboundDecision;
}

/** 127.0.0.0/8 and ::1 (v4-mapped loopback too): never leaves the host. */
export function isLoopbackAddress(address: string): boolean {
  const canonical = canonicalAddress(address);
  if (canonical === undefined) return false;
  return canonical.startsWith('127.') || canonical === '0'.repeat(31) + '1';
}

/** Every address of this host's interfaces, as node reports them. */
export function hostInterfaceAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  return Object.values(interfaces).flatMap((infos) => (infos ?? []).map((info) => info.address));
}

export function createOutboundPolicy(options: OutboundPolicyOptions): OutboundPolicy {
  const own = new Set((options.hostAddresses ?? hostInterfaceAddresses()).flatMap((address) => canonicalAddress(address) ?? []));
  const refused = new Set<string>();
  const permits = (address: string): boolean => {
    if (options.allowOutbound) return true;
    const canonical = canonicalAddress(address);
    // The unspecified address (0.0.0.0, ::) is in no interface's list: refused with the rest.
    return canonical !== undefined && (isLoopbackAddress(address) || own.has(canonical));
  };
  return {
    allowOutbound: options.allowOutbound,
    permits,
    check(address, purpose) {
      if (permits(address)) return { permitted: true };
      const key = `${purpose}\n${canonicalAddress(address) ?? address}`;
      const firstRefusal = !refused.has(key);
      refused.add(key);
      return {
        permitted: false,
        firstRefusal,
        notice: `${purpose} to ${address} not sent: rtxlab sends only to loopback and this host's own addresses unless started with --allow-outbound`,
      };
    },
  };
}
