/**
 * `show status tunnel N` in both languages, online as the real captures print it
 * (rtx-behaviour.md §5.3) and offline in the assumed wording.
 */
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/console/formats/durations.js';
import { showStatusTunnel } from '../../../src/console/formats/show-status-tunnel.js';

const up = {
  tunnelId: 1,
  view: {
    tunnelId: 1,
    gatewayId: 1,
    up: true,
    upSince: Date.UTC(2011, 7, 15, 9, 19, 45),
    durationSeconds: 5 * 3600 + 7 * 60 + 58,
    traffic: { packetsIn: 3933, octetsIn: 244941, packetsOut: 3933, octetsOut: 241407 },
  },
  description: '',
  utcOffsetMinutes: 540,
};

describe('show status tunnel', () => {
  it('prints an online tunnel as the real English output', () => {
    expect(showStatusTunnel(up, 'en')).toEqual([
      'TUNNEL[1]: ',
      'Description: ',
      '  Interface type: IPsec',
      '  Current status is Online.',
      '  from 2011/08/15 18:19:45.',
      '  5 hours 7 minutes 58 seconds  connection.',
      '  Received:    (IPv4) 3933 packets [244941 octets]',
      '               (IPv6) 0 packet [0 octet]',
      '  Transmitted: (IPv4) 3933 packets [241407 octets]',
      '               (IPv6) 0 packet [0 octet]',
    ]);
  });

  it('prints an online tunnel as the real Japanese output', () => {
    const lines = showStatusTunnel({ ...up, view: { ...up.view, durationSeconds: 20 * 60 + 43 } }, 'ja');
    expect(lines).toEqual([
      'TUNNEL[1]:',
      '説明:',
      '  インタフェースの種類: IPsec',
      '  トンネルインタフェースは接続されています',
      '  開始: 2011/08/15 18:19:45',
      '  通信時間: 20分43秒',
      '  受信: (IPv4) 3933 パケット [244941 オクテット]',
      '        (IPv6) 0 パケット [0 オクテット]',
      '  送信: (IPv4) 3933 パケット [241407 オクテット]',
      '        (IPv6) 0 パケット [0 オクテット]',
    ]);
  });

  it('prints a tunnel that is down (or not configured) as offline, with no start or duration', () => {
    const down = showStatusTunnel({ tunnelId: 2, view: undefined, description: 'branch', utcOffsetMinutes: 540 }, 'en');
    expect(down.slice(0, 4)).toEqual(['TUNNEL[2]: ', 'Description: branch', '  Interface type: IPsec', '  Current status is Offline.']);
    expect(down).toHaveLength(8);
    expect(showStatusTunnel({ tunnelId: 2, view: undefined, description: '', utcOffsetMinutes: 540 }, 'ja')[3]).toBe(
      '  トンネルインタフェースは接続されていません',
    );
  });

  it('writes durations from the largest unit, singular for one', () => {
    expect(formatDuration(61, 'en')).toBe('1 minute 1 second');
    expect(formatDuration(0, 'en')).toBe('0 second');
    expect(formatDuration(90061, 'ja')).toBe('1日1時間1分1秒');
  });
});
