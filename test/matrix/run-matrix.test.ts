/**
 * The seed's table, replayed: every row against its own in-process rtxlab. A row whose model
 * still lacks a piece is listed in AWAITING with what it waits for; `it.fails` keeps the suite
 * honest about it and turns red the day the row starts matching, so the entry gets removed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_MATRIX, decisiveLogLine, formatMatrix, runMatrix, selectRows, type MatrixResult } from '../../src/matrix/index.js';

const AWAITING: Readonly<Record<string, string>> = {
  'openswan-xauth-mode-cfg':
    "the initiator's knob for OpenSWAN's mode-cfg ACK with values, and the responder refusing such an ACK under the default mode-cfg method (docs/matrix.md, hypothesis H3)",
};

describe("rtxlab matrix: the seed's observations reproduced", () => {
  let result: MatrixResult;
  beforeAll(async () => {
    result = await runMatrix();
  }, 60_000);

  for (const row of SEED_MATRIX) {
    const test = row.id in AWAITING ? it.fails : it;
    test(`${row.id}: ${row.client} -> ${row.seedObservation}${row.id in AWAITING ? ` (awaiting ${AWAITING[row.id]})` : ''}`, () => {
      const found = result.rows.find((candidate) => candidate.row.id === row.id)!;
      expect(found.verdict, formatMatrix({ rows: [found], allMatch: false }, { verbose: true }).join('\n')).toEqual({ matches: true });
    });
  }

  it("names the seed's own words as the decisive line where the seed quotes the router", () => {
    const refused = result.rows.find((candidate) => candidate.row.id === 'openswan-type-2')!;
    expect(decisiveLogLine(refused.routerLog)).toBe('[IKE] payload malformed : no message (127.0.0.1)');
  });

  it('reports a run as a whole: all rows, and whether all matched', () => {
    expect(result.rows.map((row) => row.row.id)).toEqual(SEED_MATRIX.map((row) => row.id));
    expect(result.allMatch).toBe(result.rows.every((row) => row.verdict.matches));
  });

  it('selects rows by id and refuses unknown ones', () => {
    expect(selectRows(['racoon', 'vpnc']).map((row) => row.id)).toEqual(['vpnc', 'racoon']);
    expect(() => selectRows(['nosuch'])).toThrow(/no matrix row nosuch/);
  });
});
