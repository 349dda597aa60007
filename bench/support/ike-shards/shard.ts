/**
 * One IKE shard of the multi-core prototype (docs/multi-core.md): a whole responder of its own,
 * as an IKE worker of the design would hold, answering the datagrams its front hands it. It is
 * the same code on the front's thread (no workers: today's shape) and in a worker thread, so the
 * bench compares dispatch, not two responders.
 *
 * What it returns per datagram is what the design's worker sends its front: the datagrams to
 * send, and every other effect (log lines, events) as a record for the front to write in order.
 */
import { readConfig } from '../../../src/config/read-config.js';
import { createRtxIkeResponder } from '../../../src/ike-responder/policy-from-config.js';
import type { ResponderLimits } from '../../../src/ike-responder/responder.js';

export interface ShardSettings {
  /** `echo`: send every datagram straight back (no IKE): what dispatch alone costs. */
  readonly work: 'ike' | 'echo';
  readonly config: string;
  readonly limits: Partial<ResponderLimits>;
  /** The address and port the front's socket is bound to (the responder's `local` endpoint). */
  readonly local: { readonly address: string; readonly port: number };
}

/** A datagram the front read: the sender, and the bytes (copied into the message, or transferred). */
export interface ShardInput {
  readonly bytes: Uint8Array;
  readonly address: string;
  readonly port: number;
}

export interface ShardOutput {
  readonly sends: { readonly bytes: Uint8Array; readonly address: string; readonly port: number }[];
  /** Log lines and other records, for the front's one ordered log. */
  readonly records: { readonly kind: string; readonly text?: string }[];
}

export function createShard(settings: ShardSettings): (input: ShardInput, now: number) => ShardOutput {
  if (settings.work === 'echo') return (input) => ({ sends: [{ bytes: input.bytes, address: input.address, port: input.port }], records: [] });
  const read = readConfig(settings.config);
  if (read.problems.length > 0) throw new Error(`shard config: ${read.problems.map((p) => `${p.line}: ${p.text}`).join('; ')}`);
  const responder = createRtxIkeResponder(read.model, { limits: settings.limits });
  return (input, now) => {
    const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    const effects = responder.receive({ bytes, from: { address: input.address, port: input.port }, local: settings.local, natTraversal: false }, now);
    const output: ShardOutput = { sends: [], records: [] };
    for (const effect of effects) {
      if (effect.kind === 'send') output.sends.push({ bytes: effect.bytes, address: effect.to.address, port: effect.to.port });
      else output.records.push(effect.kind === 'log' ? { kind: 'log', text: effect.message } : { kind: effect.kind });
    }
    return output;
  };
}
