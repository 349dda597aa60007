/**
 * Output to a network client that may never read: the bytes a connection has not taken yet are
 * bounded. Past the bound the session is hung up instead of buffering without end (the console
 * keeps producing output while the client only sends), so one stalled client cannot grow the
 * router's memory.
 */
import type { Writable } from 'node:stream';

/** Unsent bytes allowed per management connection (a `show config` is a few KB; 256 KB is many screens). */
export const MAX_OUTPUT_BACKLOG = 256 * 1024;

export interface BoundedOutput {
  /** Writes unless the backlog is over the bound; then calls `overflow` once and drops the rest. */
  write(bytes: Buffer): void;
  readonly overflowed: boolean;
}

export function boundedOutput(stream: Writable, overflow: () => void, limit = MAX_OUTPUT_BACKLOG): BoundedOutput {
  let overflowed = false;
  return {
    write(bytes) {
      if (overflowed || stream.destroyed || stream.writableEnded) return;
      if (stream.writableLength + bytes.length > limit) {
        overflowed = true;
        overflow();
        return;
      }
      stream.write(bytes);
    },
    get overflowed() {
      return overflowed;
    },
  };
}
