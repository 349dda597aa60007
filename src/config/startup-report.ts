/**
 * The start-up judgement of a config (`rtxlab start`, the library API's start): refuse what is no
 * config text, summarise what was read without echoing it line by line, and warn about what will
 * make every client fail. Pure: bytes in, report out; the caller prints and decides.
 *
 * Contract:
 * - `refusal` set: do not start. Either the bytes are no config text (binary, UTF-16, an encoding
 *   other than UTF-8 / Shift_JIS / EUC-JP: one sentence, no file content), or `strict` is on and
 *   some line was rejected. `read` is absent for the first kind, present for the second.
 * - `summary`: a few lines for the terminal: the line tally, then the rejected lines as a count
 *   plus the first `sample` of them (quoted with control characters escaped, long text cut),
 *   likewise the commands RTX1500 Rev.8.03 lacks. Never more than about 2 × `sample` + 4 lines,
 *   whatever the file holds.
 * - `warnings`: one line each for what will make every client of a gateway fail: no enabled
 *   gateway, an enabled gateway without a pre-shared key (or with a masked one nobody supplied),
 *   XAUTH without an address pool for its users, XAUTH whose users are not in the config (the
 *   router would ask RADIUS, which rtxlab does not emulate).
 * - `read`: the ReadResult, so that the caller does not read the file twice.
 */
import { readConfig, type ReadOptions, type ReadResult } from './read-config.js';
import { TUNNEL_LIMIT_LIFTED_BY } from './limits.js';
import { lineTallyText, problemLine, warningLine } from './report-text.js';
import { judgeConfigBytes } from './text/decode.js';
import { authView } from './views/auth.js';
import { ipsecGateways, type IpsecGateway } from './views/ipsec-gateways.js';
import { modeCfgPools } from './views/mode-cfg-pools.js';

export interface StartupReportOptions extends ReadOptions {
  /** Refuse to start on any rejected line (`--strict`). */
  readonly strict?: boolean;
  /** How many rejected (and warned) lines the summary quotes; default 5. */
  readonly sample?: number;
  /** How to call the config in messages (a path, `embedded default config`); default `config`. */
  readonly label?: string;
  /** Gateways whose pre-shared key comes from outside the config (`--psk N=KEY`). */
  readonly suppliedKeys?: ReadonlySet<number>;
}

export interface StartupReport {
  /** Set: do not start; the one sentence to print. */
  readonly refusal?: string;
  readonly summary: readonly string[];
  readonly warnings: readonly string[];
  readonly read?: ReadResult;
}

const DEFAULT_SAMPLE = 5;

export function startupReport(input: Uint8Array | string, options: StartupReportOptions = {}): StartupReport {
  const label = options.label ?? 'config';
  const sample = options.sample ?? DEFAULT_SAMPLE;
  let read: ReadResult;
  if (typeof input === 'string') {
    read = readConfig(input, options);
  } else {
    const judged = judgeConfigBytes(input);
    if (!judged.ok) return { refusal: `${label} is not config text: ${judged.reason}`, summary: [], warnings: [] };
    read = readConfig(judged.text, options);
    read = { ...read, encoding: judged.encoding };
  }
  const summary = [
    `${label}: ${lineTallyText(read.lines)}${read.capture ? ' (read as a console capture)' : ''}`,
    ...sampled(read.problems, sample, 'rejected', (p) => problemLine(p, 'en', false)),
    ...sampled(read.warnings, sample, 'not on RTX1500 Rev.8.03, not applied', warningLine),
    ...tunnelLimitNote(read),
  ];
  const warnings = clientFailures(read, options.suppliedKeys ?? new Set());
  if (options.strict === true && read.problems.length > 0) {
    const count = read.problems.length;
    return { refusal: `${label}: ${count} ${count === 1 ? 'line' : 'lines'} rejected; not starting (strict)`, summary, warnings, read };
  }
  return { summary, warnings, read };
}

function sampled<T>(items: readonly T[], sample: number, what: string, text: (item: T) => string): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, sample);
  const head = items.length > shown.length ? `${items.length} lines ${what}; the first ${shown.length}:` : `${items.length} ${items.length === 1 ? 'line' : 'lines'} ${what}:`;
  return [head, ...shown.map((item) => `  ${text(item)}`)];
}


/**
 * Lines refused for a tunnel or gateway number beyond the RTX1500's 100: the one rtxlab option
 * (not RTX behaviour) that takes them, for load tests.
 */
function tunnelLimitNote(read: ReadResult): string[] {
  const refused = read.problems.filter((problem) => problem.detail?.includes(TUNNEL_LIMIT_LIFTED_BY) === true);
  if (refused.length === 0) return [];
  const lines = refused.length === 1 ? `line ${refused[0]!.line}` : `${refused.length} lines (the first: line ${refused[0]!.line})`;
  return [`${lines} refused: ${refused[0]!.detail}`];
}

/** What will make every client of a gateway (or of the router) fail. */
function clientFailures(read: ReadResult, suppliedKeys: ReadonlySet<number>): string[] {
  const gateways = ipsecGateways(read.model).filter((g) => g.tunnelEnabled);
  if (gateways.length === 0) {
    return ['no enabled gateway: no tunnel with IKE settings is enabled (`tunnel enable N`); every client will fail'];
  }
  return gateways.flatMap((g) => [...keyProblems(g, suppliedKeys), ...xauthProblems(g, read)]);
}

function keyProblems(gateway: IpsecGateway, suppliedKeys: ReadonlySet<number>): string[] {
  const id = gateway.gatewayId;
  if (suppliedKeys.has(id)) return [];
  if (gateway.preSharedKey === undefined) {
    return [`gateway ${id} has no pre-shared key (\`ipsec ike pre-shared-key ${id} text KEY\`): it does no key exchange; every client of it will fail`];
  }
  if (gateway.preSharedKey.kind === 'masked') {
    return [`gateway ${id}: its pre-shared key is masked (*) in the config; every client of it will fail unless it is supplied (--psk ${id}=KEY)`];
  }
  return [];
}

function xauthProblems(gateway: IpsecGateway, read: ReadResult): string[] {
  if (!gateway.xauth.request) return [];
  const id = gateway.gatewayId;
  const groupId = gateway.xauth.groupId;
  const auth = authView(read.model);
  const candidates = [...auth.users.values()].filter(
    (u) => (groupId === undefined || u.groups.includes(groupId)) && auth.effectiveAttributes(u.userId, groupId).xauth,
  );
  const inGroup = groupId === undefined ? '' : ` in group ${groupId}`;
  if (candidates.length === 0) {
    return [
      `gateway ${id} requests XAUTH but no \`auth user\`${inGroup} has xauth=on: the router would ask RADIUS, which rtxlab does not emulate; every client of it will fail`,
    ];
  }
  const poolId = gateway.modeCfg.poolId;
  const hasPool = poolId !== undefined && modeCfgPools(read.model).has(poolId);
  const ownAddress = candidates.some((u) => auth.effectiveAttributes(u.userId, groupId).address !== undefined);
  if (hasPool || ownAddress) return [];
  const why =
    poolId === undefined
      ? `no \`ipsec ike mode-cfg address ${id} POOL\``
      : `its pool ${poolId} is not defined (\`ipsec ike mode-cfg address pool ${poolId} FIRST-LAST\`)`;
  return [`gateway ${id} requests XAUTH but ${why} and no user${inGroup} has an address of its own: every client of it will get no address after XAUTH and fail`];
}
