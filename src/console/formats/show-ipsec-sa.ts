/**
 * `show ipsec sa` and its `gateway N` and `detail` forms, from the router's IpsecState
 * (rtx-behaviour.md §5.2: real RTX1200-era output [S8], the AWS troubleshooting page [S7b]).
 * The table and detail blocks are English in both console languages (no Japanese capture).
 *
 * Assumed where no capture shows it: the `flags` column of the gateway form (`U` while the
 * gateway has an SA, `-` otherwise), the detail form's XAUTH and internal-address lines, the
 * names of algorithms other than AES-CBC / SHA-1 / MODP 1024 / HMAC-SHA.
 */
import type { CipherId, DhGroupId, HashId } from '../../ike/crypto/index.js';
import type { EspIntegrityChoice } from '../../ike-responder/esp-proposal.js';
import type { IpsecSaRow, IpsecState, IsakmpSaRow } from '../../ike-responder/ipsec-state.js';

const TABLE_HEADER = 'sa   sgw isakmp connection   dir  life[s] remote-id';
const TABLE_RULE = '-'.repeat(77);
const GATEWAY_HEADER = 'sgw  flags local-id                      remote-id        # of sa';
const GATEWAY_RULE = '-'.repeat(74);
const DETAIL_RULE = '-'.repeat(52);

export interface ShowIpsecSaQuery {
  readonly gateway?: number;
  readonly detail: boolean;
}

export function showIpsecSa(state: IpsecState, query: ShowIpsecSaQuery): string[] {
  const isakmp = state.isakmpSas.filter((sa) => query.gateway === undefined || sa.gatewayId === query.gateway);
  const ipsec = state.ipsecSas.filter((sa) => query.gateway === undefined || sa.gatewayId === query.gateway);
  if (query.detail) return detailBlocks(isakmp, ipsec);
  if (query.gateway !== undefined) return gatewayTable(query.gateway, isakmp, ipsec);
  return saTable(state, isakmp, ipsec);
}

function saTable(state: IpsecState, isakmp: readonly IsakmpSaRow[], ipsec: readonly IpsecSaRow[]): string[] {
  const rows: { number: number; cells: string[] }[] = [
    ...isakmp.map((sa) => ({
      number: sa.number,
      cells: [String(sa.number), String(sa.gatewayId), '-', 'isakmp', '-', String(sa.lifeRemainingSeconds), sa.peer.address],
    })),
    ...ipsec.map((sa) => ({
      number: sa.number,
      cells: [
        String(sa.number),
        String(sa.gatewayId),
        sa.isakmpSaNumber === undefined ? '-' : String(sa.isakmpSaNumber),
        `tun[${String(sa.tunnelId).padStart(3, '0')}]esp`,
        sa.direction,
        String(sa.lifeRemainingSeconds),
        sa.peer.address,
      ],
    })),
  ].sort((a, b) => a.number - b.number);
  const widths = [5, 4, 4, 12, 4, 7];
  const { isakmp: i, send, recv } = state.totals;
  return [
    `Total: isakmp:${i} send:${send} recv:${recv}`,
    '',
    TABLE_HEADER,
    TABLE_RULE,
    ...rows.map(({ cells }) => cells.map((cell, index) => (index < widths.length ? `${cell.padEnd(widths[index]!)} ` : cell)).join('')),
  ];
}

function gatewayTable(gateway: number, isakmp: readonly IsakmpSaRow[], ipsec: readonly IpsecSaRow[]): string[] {
  const first = isakmp[0];
  const send = ipsec.filter((sa) => sa.direction === 'send').length;
  const recv = ipsec.length - send;
  const flags = isakmp.length + ipsec.length > 0 ? 'U' : '-';
  const remote = first?.peer.address ?? ipsec[0]?.peer.address ?? '-';
  const row = [
    String(gateway).padEnd(4),
    flags.padEnd(5),
    (first?.localAddress ?? '-').padEnd(29),
    remote.padEnd(16),
    `i:${isakmp.length} s:${send} r:${recv}`,
  ].join(' ');
  return [GATEWAY_HEADER, GATEWAY_RULE, row];
}

function detailBlocks(isakmp: readonly IsakmpSaRow[], ipsec: readonly IpsecSaRow[]): string[] {
  const localOf = new Map(isakmp.map((sa) => [sa.number, sa.localAddress]));
  const blocks: { number: number; lines: string[] }[] = [
    ...isakmp.map((sa) => ({
      number: sa.number,
      lines: [
        `SA[${sa.number}] Duration: ${sa.durationSeconds}s`,
        `Local ID: ${sa.localAddress}`,
        `Remote ID: ${sa.peer.address}`,
        'Protocol: IKE',
        `Algorithm: ${cipherName(sa.cipher)}, ${hashName(sa.hash)}, ${groupName(sa.group)}`,
        ...(sa.xauthUser === undefined ? [] : [`XAUTH User: ${sa.xauthUser}`]),
        ...(sa.internalAddress === undefined ? [] : [`Internal IP Address: ${sa.internalAddress}`]),
        '',
        `SPI: ${hexBytes(sa.spi)}`,
        KEY_LINE,
      ],
    })),
    ...ipsec.map((sa) => ({
      number: sa.number,
      lines: [
        `SA[${sa.number}] Duration: ${sa.durationSeconds}s`,
        `Local ID: ${(sa.isakmpSaNumber === undefined ? undefined : localOf.get(sa.isakmpSaNumber)) ?? '-'}`,
        `Remote ID: ${sa.peer.address}`,
        `Direction: ${sa.direction}`,
        'Protocol: ESP (Mode: tunnel)',
        `Algorithm: ${cipherName(sa.encryption)} (for Auth.: ${integrityName(sa.integrity)})`,
        `SPI: ${hexBytes(sa.spi)}`,
        KEY_LINE,
      ],
    })),
  ].sort((a, b) => a.number - b.number);
  return blocks.flatMap((block) => [...block.lines, DETAIL_RULE]);
}

/** Keys never print (the RTX's own mask). */
const KEY_LINE = 'Key: ** ** ** ** **  (confidential)   ** ** ** ** **';

/** `6b ce fd 8a ` : two hex digits per byte, each followed by a space (a trailing one too). */
function hexBytes(bytes: Buffer): string {
  return [...bytes].map((b) => `${b.toString(16).padStart(2, '0')} `).join('');
}

const CIPHER_NAMES: Readonly<Record<CipherId, string>> = {
  'des-cbc': 'DES-CBC',
  '3des-cbc': '3DES-CBC',
  'aes128-cbc': 'AES-CBC',
  'aes192-cbc': 'AES192-CBC',
  'aes256-cbc': 'AES256-CBC',
};
const HASH_NAMES: Readonly<Record<HashId, string>> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };
const GROUP_BITS: Readonly<Record<DhGroupId, number>> = { 1: 768, 2: 1024, 5: 1536, 14: 2048 };
const INTEGRITY_NAMES: Readonly<Record<EspIntegrityChoice, string>> = { 'hmac-sha1-96': 'HMAC-SHA', 'hmac-md5-96': 'HMAC-MD5' };

const cipherName = (id: CipherId): string => CIPHER_NAMES[id];
const hashName = (id: HashId): string => HASH_NAMES[id];
const groupName = (id: DhGroupId): string => `MODP ${GROUP_BITS[id]}bit`;
const integrityName = (id: EspIntegrityChoice): string => INTEGRITY_NAMES[id];
