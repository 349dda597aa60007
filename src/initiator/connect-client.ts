/**
 * The bundled client in one call, for test suites: connect to a gateway (an `RtxRouter`'s
 * `listening` fits as it is) as one of the client profiles, with the seed's ID, key and XAUTH
 * account unless told otherwise, and keep the tunnel up for the caller to use and close.
 */
import type { Endpoint } from '../ike/initiator/endpoints.js';
import { CLIENT_PROFILES } from './profiles/catalogue.js';
import { profileTunnel, type ProfileOverrides } from './profiles/overrides.js';
import { SEED_CLIENT_INPUTS, type ProfileName } from './profiles/profile.js';
import type { TunnelTiming } from './tunnel-options.js';
import { runTunnelSession, type TunnelSessionResult } from './tunnel-session.js';

export interface ConnectClientOptions {
  /** Where the gateway listens for IKE and NAT-T. */
  readonly gateway: { readonly ike: Endpoint; readonly natt: Endpoint };
  /** The address to send from (default: the gateway's, which suits a gateway on loopback). */
  readonly localAddress?: string;
  /** Default `yms-vpn1` (the client the seed's router config was written for). */
  readonly profile?: ProfileName;
  /** IDii as a FQDN (default `myid`). */
  readonly id?: string;
  /** Default `PSKEY1`. */
  readonly psk?: string;
  /** XAUTH account (default user1 / password). */
  readonly user?: string;
  readonly password?: string;
  /**
   * Default `force`: ESP in UDP, so the tunnel carries traffic (node cannot send raw ESP);
   * `on` floats only when a NAT is seen, as the profile's client would.
   */
  readonly natTraversal?: 'on' | 'off' | 'force';
  /** The profile's algorithms, lifetimes, PFS... changed (as `rtxlab connect --ike/--esp/--pfs` do). */
  readonly overrides?: ProfileOverrides;
  /** Default `keep`: the result holds an open tunnel (`result.tunnel`) to close. */
  readonly whenEstablished?: 'delete' | 'keep' | 'abandon';
  readonly timing?: Partial<TunnelTiming>;
  /**
   * `wait` (default): report the tunnel once confirmed (ESP from the router, or no repeated Quick
   * Mode message 2 within the router's resend interval); `skip`: as soon as Quick Mode message 3
   * is sent (load runs and benches on a lossless path).
   */
  readonly confirmation?: 'wait' | 'skip';
}

export async function connectClient(options: ConnectClientOptions): Promise<TunnelSessionResult> {
  const { gateway } = options;
  const localAddress = options.localAddress ?? gateway.ike.address;
  const inputs = {
    identity: { kind: 'fqdn' as const, name: options.id ?? 'myid' },
    preSharedKey: options.psk === undefined ? SEED_CLIENT_INPUTS.preSharedKey : Buffer.from(options.psk),
    xauth: { userName: options.user ?? SEED_CLIENT_INPUTS.xauth.userName, password: options.password ?? SEED_CLIENT_INPUTS.xauth.password },
    localAddress,
  };
  const built = profileTunnel(CLIENT_PROFILES[options.profile ?? 'yms-vpn1'], inputs, { natTraversal: options.natTraversal ?? 'force', ...options.overrides });
  if (!built.ok) throw new RangeError(`profile ${options.profile}: ${built.text}`);
  return runTunnelSession({
    gateway: { address: gateway.ike.address, port: gateway.ike.port, natTPort: gateway.natt.port },
    local: { address: localAddress },
    tunnel: built.options,
    whenEstablished: options.whenEstablished ?? 'keep',
    ...(options.timing === undefined ? {} : { timing: options.timing }),
    ...(options.confirmation === undefined ? {} : { confirmation: options.confirmation }),
  });
}
