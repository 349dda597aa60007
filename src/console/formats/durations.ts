/**
 * Connection times as `show status tunnel` prints them: `5 hours 7 minutes 58 seconds` (English,
 * real [S7b]; a count of one, and zero, take the singular as `0 packet` does there: assumed),
 * `20分43秒` (Japanese, real [S6]). Days and the leading units left out when zero: assumed.
 */
import type { ConsoleLanguage } from '../../config/errors.js';

export function formatDuration(totalSeconds: number, language: ConsoleLanguage): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts: [number, string, string][] = [
    [Math.floor(s / 86400), 'day', '日'],
    [Math.floor((s % 86400) / 3600), 'hour', '時間'],
    [Math.floor((s % 3600) / 60), 'minute', '分'],
    [s % 60, 'second', '秒'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  const shown = parts.slice(first < 0 ? parts.length - 1 : first);
  return language === 'en'
    ? shown.map(([value, unit]) => `${value} ${unit}${value > 1 ? 's' : ''}`).join(' ')
    : shown.map(([value, , unit]) => `${value}${unit}`).join('');
}

/** `3933 packets`, `0 packet`, `1 octet`. */
export function countOf(value: number, unit: string): string {
  return `${value} ${unit}${value > 1 ? 's' : ''}`;
}
