/**
 * What doctor runs: a router config (plus config lines applied to the running router, as a fix
 * on the router side is) and a client (a profile with its inputs and overrides, as a fix on the
 * client side is), possibly several clients at once (pools and `tunnel template`).
 */
import type { ProfileInputs, ProfileName, ProfileOverrides } from '../initiator/profiles/index.js';

export interface ClientSetup {
  readonly profile: ProfileName;
  /** IDii, pre-shared key, XAUTH account. */
  readonly inputs: ProfileInputs;
  readonly overrides: ProfileOverrides;
  /** How many such clients connect one after another while the earlier ones stay up. */
  readonly count: number;
}

export interface DoctorScenario {
  /** The config file's text, as the user has it. */
  readonly configText: string;
  /** Lines applied with `RtxRouter.apply` on a fresh router before the clients run: router fixes. */
  readonly routerLines: readonly string[];
  readonly client: ClientSetup;
}
