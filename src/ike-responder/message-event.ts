/**
 * The `ike-message` event: every IKE message the responder reads or writes, with its payloads
 * where it could read them. Front ends build the IKE ladder and `rtxlab doctor` from it; it is
 * emitted whatever the log settings, unlike the debug lines of debug-log.ts.
 */
import type { IsakmpHeader, Payload } from '../ike/codec/index.js';
import type { Direction } from './debug-log.js';
import type { Endpoint, ResponderEffect } from './port.js';

export function messageEvent(direction: Direction, peer: Endpoint, header: IsakmpHeader, payloads?: readonly Payload[]): ResponderEffect {
  return {
    kind: 'event',
    event: { type: 'ike-message', direction: direction === 'receive' ? 'in' : 'out', peer, header, ...(payloads === undefined ? {} : { payloads }) },
  };
}
