/** The decisive cause behind a failure that the failure's own text does not name. */
import { describe, expect, it } from 'vitest';
import { decisiveCause } from '../../src/initiator/failure-cause.js';
import type { TranscriptRecord } from '../../src/initiator/udp-transport.js';

const note = (text: string, atMs = 0): TranscriptRecord => ({ atMs, kind: 'note', text });

describe('decisive cause', () => {
  it('names a closed port from the ECONNREFUSED the socket reported for each send', () => {
    const cause = decisiveCause([note('step: phase1'), note('socket error: recvmsg ECONNREFUSED'), note('socket error: recvmsg ECONNREFUSED')]);
    expect(cause).toMatch(/^port unreachable: .*2 sends.*ECONNREFUSED/);
  });

  it('names an unreachable host', () => {
    expect(decisiveCause([note('socket error: send EHOSTUNREACH 192.0.2.1:500')])).toMatch(/^host unreachable/);
  });

  it('says nothing when the transcript holds no such sign (silence is the failure itself)', () => {
    expect(decisiveCause([note('step: phase1')])).toBeUndefined();
  });
});
