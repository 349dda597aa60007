/**
 * Algorithm suites as one word, the way strongSwan writes them and the RTX's commands name their
 * parts: `3des-sha1-modp1024` for Phase 1, `3des-sha1` for ESP. Pure parsing, for the command line.
 */
import type { CipherId, DhGroupId, HashId } from '../../ike/crypto/index.js';
import type { EspIntegrity } from '../../ike/initiator/quick-mode.js';

export interface IkeSuite {
  readonly encryption: CipherId;
  readonly hash: HashId;
  readonly group: DhGroupId;
}

export interface EspSuite {
  readonly encryption: CipherId;
  readonly integrity: EspIntegrity;
}

const CIPHERS: Readonly<Record<string, CipherId>> = {
  des: 'des-cbc',
  '3des': '3des-cbc',
  aes: 'aes128-cbc',
  aes128: 'aes128-cbc',
  aes192: 'aes192-cbc',
  aes256: 'aes256-cbc',
};

const HASHES: Readonly<Record<string, HashId>> = { md5: 'md5', sha1: 'sha1', sha: 'sha1', sha256: 'sha256' };

/** RFC 2409 §6 / RFC 3526 group names, with the RTX's spellings (`ipsec ike group 1 modp1024`). */
const GROUPS: Readonly<Record<string, DhGroupId>> = { modp768: 1, modp1024: 2, modp1536: 5, modp2048: 14 };

const INTEGRITIES: Readonly<Record<string, EspIntegrity>> = { sha1: 'hmac-sha1-96', sha: 'hmac-sha1-96', md5: 'hmac-md5-96' };

export type SuiteResult<T> = { readonly ok: true; readonly suite: T } | { readonly ok: false; readonly text: string };

/** `ENC-HASH-GROUP`, e.g. `3des-sha1-modp1024`, `aes128-sha1-modp1024`. */
export function parseIkeSuite(text: string): SuiteResult<IkeSuite> {
  const [encryption, hash, group, ...rest] = text.toLowerCase().split('-');
  const cipher = CIPHERS[encryption ?? ''];
  const prf = HASHES[hash ?? ''];
  const dh = GROUPS[group ?? ''];
  if (rest.length > 0 || cipher === undefined || prf === undefined || dh === undefined) {
    return { ok: false, text: `"${text}" is not ENC-HASH-GROUP with ENC ${names(CIPHERS)}, HASH ${names(HASHES)}, GROUP ${names(GROUPS)}` };
  }
  return { ok: true, suite: { encryption: cipher, hash: prf, group: dh } };
}

/** `ENC-INTEGRITY`, e.g. `3des-sha1`, `aes128-md5`. */
export function parseEspSuite(text: string): SuiteResult<EspSuite> {
  const [encryption, integrity, ...rest] = text.toLowerCase().split('-');
  const cipher = CIPHERS[encryption ?? ''];
  const mac = INTEGRITIES[integrity ?? ''];
  if (rest.length > 0 || cipher === undefined || mac === undefined) {
    return { ok: false, text: `"${text}" is not ENC-INTEGRITY with ENC ${names(CIPHERS)}, INTEGRITY ${names(INTEGRITIES)}` };
  }
  return { ok: true, suite: { encryption: cipher, integrity: mac } };
}

/** `modp1024` or `2` for a DH group. */
export function parseDhGroup(text: string): DhGroupId | undefined {
  const lower = text.toLowerCase();
  if (lower in GROUPS) return GROUPS[lower];
  const number = Number(lower);
  return Object.values(GROUPS).find((group) => group === number);
}

function names(table: Readonly<Record<string, unknown>>): string {
  return Object.keys(table).join('|');
}
