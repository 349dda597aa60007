/**
 * What the client's machines emit for their driver (or a test) to perform: datagrams to send,
 * transcript lines, and the one timer they use. Shared by the Phase 1 and the tunnel machine so
 * that one driver serves both.
 */
import { decodeHeader, isEncrypted, type Payload } from '../ike/codec/index.js';
import type { TransportPath } from '../ike/initiator/endpoints.js';
import { transcriptEntry, type TranscriptEntry } from './transcript.js';

export type ClientEmitted =
  | { readonly type: 'send'; readonly bytes: Buffer; readonly path: TransportPath; readonly entry: TranscriptEntry }
  | { readonly type: 'received'; readonly entry: TranscriptEntry }
  /** A conclusion drawn without a message (silence taken as acceptance, a step reached). */
  | { readonly type: 'note'; readonly text: string }
  /** Replace any pending timer by one that sends TIMER after `afterMs`. */
  | { readonly type: 'set-timer'; readonly afterMs: number }
  | { readonly type: 'clear-timer' };

export type SendEmitted = Extract<ClientEmitted, { type: 'send' }>;
export type ReceivedEmitted = Extract<ClientEmitted, { type: 'received' }>;

/** A transcript entry for a received datagram, from its header (when it has one) and payloads. */
export function receivedEntry(bytes: Buffer, path: TransportPath, payloads: readonly Payload[] | undefined, note: string): TranscriptEntry {
  const header = decodeHeader(bytes);
  const fields = header.ok
    ? { exchangeType: header.value.exchangeType, messageId: header.value.messageId, encrypted: isEncrypted(header.value) }
    : { exchangeType: 0, messageId: 0, encrypted: false };
  return transcriptEntry('received', path, { ...fields, length: bytes.length, payloads }, note);
}

export function received(bytes: Buffer, path: TransportPath, payloads: readonly Payload[] | undefined, note: string): ReceivedEmitted {
  return { type: 'received', entry: receivedEntry(bytes, path, payloads, note) };
}

export function sendOf(
  bytes: Buffer,
  path: TransportPath,
  message: { exchangeType: number; messageId: number; encrypted: boolean; payloads?: readonly Payload[] },
  note: string,
): SendEmitted {
  return { type: 'send', bytes, path, entry: transcriptEntry('sent', path, { ...message, length: bytes.length }, note) };
}
