/**
 * Parameter values the current command reference offers that RTX1500 Rev.8.03 did not have, with
 * how we know (issue 11 §5). A line that uses one is treated like a command Rev.8.03 lacks: a
 * "not on RTX1500 Rev.8.03" warning, not applied, unless the reader is told to accept newer
 * values (`ReadOptions.acceptNewerValues`). The IKE responder offers the same set
 * (docs/fidelity.md, "supported on Rev.8.03"), so what the reader applies the responder can do.
 */
import type { ParsedCommand } from '../family.js';

const AFTER_REV_9 =
  'came with Rev.9.00.50 (RTX3000 release note, rtx-behaviour.md [S4b]), after the Rev.8.03 branch (INFERRED)';
const GROUP_NOT_FOUND = 'no Rev.8.03 source lists it; the documented Rev.8.03 groups are modp768 and modp1024 (NOT FOUND, assumed absent)';
const CONSOLE_REV_14 =
  'the en.*/ja.* character names came with Rev.14.01; Rev.8.03 has ascii, sjis, euc (rtx-behaviour.md §5; an RTX1200 refuses ja.utf8: VERIFIED)';

/** value -> why it is later than Rev.8.03. */
const LATER_IKE_VALUES: ReadonlyMap<string, string> = new Map([
  ['aes256-cbc', `aes256-cbc ${AFTER_REV_9}`],
  ['sha256', `sha256 ${AFTER_REV_9}`],
  ['sha384', `sha384 came after sha256 (${AFTER_REV_9})`],
  ['sha512', `sha512 came after sha256 (${AFTER_REV_9})`],
  ['modp1536', `modp1536: ${GROUP_NOT_FOUND}`],
  ['modp2048', `modp2048: ${GROUP_NOT_FOUND}`],
  ['sha256-hmac', `sha256-hmac ${AFTER_REV_9}`],
  ['sha384-hmac', `sha384-hmac came after sha256 (${AFTER_REV_9})`],
  ['sha512-hmac', `sha512-hmac came after sha256 (${AFTER_REV_9})`],
]);

const LATER_CONSOLE_CHARACTERS = new Set(['en.ascii', 'ja.sjis', 'ja.euc', 'ja.utf8']);

/** The params of these commands that hold algorithm names. */
const ALGORITHM_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'ipsec ike encryption': ['algorithm'],
  'ipsec ike hash': ['algorithm'],
  'ipsec ike group': ['phase1', 'phase2'],
  'ipsec sa policy': ['encryption', 'authentication'],
};

/** Why a parsed line uses a value Rev.8.03 lacked, or undefined. */
export function laterThanRev803(command: ParsedCommand): string | undefined {
  if (command.name === 'console character') {
    const code = String((command.params as { code?: unknown }).code);
    return LATER_CONSOLE_CHARACTERS.has(code) ? `console character ${code}: ${CONSOLE_REV_14}` : undefined;
  }
  for (const param of ALGORITHM_PARAMS[command.name] ?? []) {
    const value = (command.params as Record<string, unknown>)[param];
    const reason = typeof value === 'string' ? LATER_IKE_VALUES.get(value) : undefined;
    if (reason !== undefined) return reason;
  }
  return undefined;
}
