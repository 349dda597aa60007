/**
 * `show status tunnel N` (rtx-behaviour.md §5.3): real Japanese output of an RTX1100 Rev.8.03.92
 * [S6] and real English output [S7b]. The offline state's wording was not found: `Current
 * status is Offline.` / `トンネルインタフェースは接続されていません` are assumed, as is leaving
 * out the start and duration lines while offline. IPv6 counters are always zero (rtxlab carries
 * no IPv6).
 */
import type { ConsoleLanguage } from '../../config/errors.js';
import { formatRtxTimestamp } from '../../router/log-format.js';
import type { TunnelTraffic } from '../../router/data-plane.js';
import type { TunnelView } from '../../router/rtx-router-api.js';
import { countOf, formatDuration } from './durations.js';

/** The counters the RTX prints (its drop counters have no line here). */
export type PrintedTraffic = Pick<TunnelTraffic, 'packetsIn' | 'octetsIn' | 'packetsOut' | 'octetsOut'>;

export interface TunnelStatusInput {
  readonly tunnelId: number;
  /** The tunnel as the router sees it; undefined when the config has no such tunnel. */
  readonly view: (Omit<TunnelView, 'traffic'> & { readonly traffic?: PrintedTraffic }) | undefined;
  readonly description: string;
  /** The router's `timezone`, for the start time. */
  readonly utcOffsetMinutes: number;
}

export function showStatusTunnel(input: TunnelStatusInput, language: ConsoleLanguage): string[] {
  const { view } = input;
  const up = view?.up === true;
  const traffic = view?.traffic;
  const received = { packets: traffic?.packetsIn ?? 0, octets: traffic?.octetsIn ?? 0 };
  const sent = { packets: traffic?.packetsOut ?? 0, octets: traffic?.octetsOut ?? 0 };
  const since = up && view.upSince !== undefined ? formatRtxTimestamp(view.upSince, input.utcOffsetMinutes) : undefined;
  const duration = up && view.durationSeconds !== undefined ? view.durationSeconds : undefined;
  if (language === 'en') {
    const en = (c: { packets: number; octets: number }): string => `${countOf(c.packets, 'packet')} [${countOf(c.octets, 'octet')}]`;
    return [
      `TUNNEL[${input.tunnelId}]: `,
      `Description: ${input.description}`,
      '  Interface type: IPsec',
      up ? '  Current status is Online.' : '  Current status is Offline.',
      ...(since === undefined ? [] : [`  from ${since}.`]),
      ...(duration === undefined ? [] : [`  ${formatDuration(duration, 'en')}  connection.`]),
      `  Received:    (IPv4) ${en(received)}`,
      `               (IPv6) ${en({ packets: 0, octets: 0 })}`,
      `  Transmitted: (IPv4) ${en(sent)}`,
      `               (IPv6) ${en({ packets: 0, octets: 0 })}`,
    ];
  }
  const ja = (c: { packets: number; octets: number }): string => `${c.packets} パケット [${c.octets} オクテット]`;
  return [
    `TUNNEL[${input.tunnelId}]:`,
    `説明: ${input.description}`.trimEnd(),
    '  インタフェースの種類: IPsec',
    up ? '  トンネルインタフェースは接続されています' : '  トンネルインタフェースは接続されていません',
    ...(since === undefined ? [] : [`  開始: ${since}`]),
    ...(duration === undefined ? [] : [`  通信時間: ${formatDuration(duration, 'ja')}`]),
    `  受信: (IPv4) ${ja(received)}`,
    `        (IPv6) ${ja({ packets: 0, octets: 0 })}`,
    `  送信: (IPv4) ${ja(sent)}`,
    `        (IPv6) ${ja({ packets: 0, octets: 0 })}`,
  ];
}
