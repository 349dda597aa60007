/**
 * The router side as the config engine reads it, after the scenario's router lines: what fixes
 * are computed from (gateway suites, keys, users, pools). A router is created, not started.
 */
import { authView, type AuthView } from '../config/views/index.js';
import { policyFromConfig } from '../ike-responder/policy-from-config.js';
import type { GatewayPolicy, ResponderPolicy } from '../ike-responder/policy.js';
import { RtxRouter } from '../router/rtx-router.js';
import type { DoctorScenario } from './scenario.js';

export interface RouterSettings {
  readonly policy: ResponderPolicy;
  readonly auth: AuthView;
}

export async function routerSettings(scenario: DoctorScenario): Promise<RouterSettings> {
  const router = await RtxRouter.create({ config: { text: scenario.configText }, bind: '127.0.0.1', ikePort: 0, nattPort: 0 });
  for (const line of scenario.routerLines) router.apply(line);
  return { policy: policyFromConfig(router.config), auth: authView(router.config) };
}

/**
 * The gateway a client with this ID meets: the enabled one whose remote name is the ID, else the
 * first enabled one (the only one, in the seed's config).
 */
export function gatewayForId(settings: RouterSettings, id: string): GatewayPolicy | undefined {
  const enabled = settings.policy.gateways.filter((gateway) => gateway.enabled);
  return enabled.find((gateway) => gateway.remoteName === id) ?? enabled[0];
}
