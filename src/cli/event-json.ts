import type { RouterEvent } from '../router/rtx-router-api.js';

/**
 * One router event as one line of JSON (`rtxlab start --events ndjson`): Buffers as hex strings,
 * errors as their message, everything else as it is in the typed event (docs/api.md).
 */
export function eventJson(event: RouterEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => {
    if (value instanceof Error) return value.message;
    if (isSerializedBuffer(value)) return Buffer.from(value.data).toString('hex');
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}

/** JSON.stringify hands the replacer a Buffer already turned into `{type: 'Buffer', data}`. */
function isSerializedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}
