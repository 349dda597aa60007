/**
 * The registry of command families: which family parses which command name.
 *
 * Precedence: when two families claim the same name, the first one here keeps it (the config
 * engine's families come first); the catalogue recognises every other configuration command of
 * Yamaha's reference by name only. The dispatch rule itself is in ../name-index.ts.
 */
import type { CommandRegistry } from '../name-index.js';
import { family as auth } from './auth.js';
import { absentOnRtx1500, catalogueFamily } from './catalogue.js';
import { family as consoleFamily } from './console.js';
import { family as description } from './description.js';
import { family as dhcp } from './dhcp.js';
import { family as dns } from './dns.js';
import { family as filter } from './filter.js';
import { family as ip } from './ip.js';
import { family as ipsec } from './ipsec.js';
import { family as nat } from './nat.js';
import { family as pp } from './pp.js';
import { family as schedule } from './schedule.js';
import { family as syslog } from './syslog.js';
import { family as tunnel } from './tunnel.js';

export const checkedFamilies = [ip, ipsec, tunnel, auth, syslog, consoleFamily, pp, nat, dhcp, dns, schedule, description, filter] as const;

export const registry: CommandRegistry = {
  checkedFamilies,
  catalogue: catalogueFamily,
  absentOnRtx1500,
};
