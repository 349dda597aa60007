/**
 * The seed's table, replayed: every row against its own in-process rtxlab, each expected to show
 * what the seed observed (and the one hypothesis row, what H3 predicts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_MATRIX, decisiveLogLine, formatMatrix, runMatrix, selectRows, type MatrixResult } from '../../src/matrix/index.js';

describe("rtxlab matrix: the seed's observations reproduced", () => {
  let result: MatrixResult;
  beforeAll(async () => {
    result = await runMatrix();
  }, 60_000);

  for (const row of SEED_MATRIX) {
    it(`${row.id}: ${row.client} -> ${row.seedObservation}`, () => {
      const found = result.rows.find((candidate) => candidate.row.id === row.id)!;
      expect(found.verdict, formatMatrix({ rows: [found], allMatch: false }, { verbose: true }).join('\n')).toEqual({ matches: true });
    });
  }

  it("names the seed's own words as the decisive line where the seed quotes the router", () => {
    const refused = result.rows.find((candidate) => candidate.row.id === 'openswan-type-2')!;
    expect(decisiveLogLine(refused.routerLog)).toBe('[IKE] payload malformed : no message (127.0.0.1)');
  });

  it("fails OpenSWAN's XAUTH + mode-cfg row at its valued mode-cfg ACK (H3), and connects it under `set openswan`", () => {
    const refused = result.rows.find((candidate) => candidate.row.id === 'openswan-xauth-mode-cfg')!;
    expect(decisiveLogLine(refused.routerLog)).toBe('[IKE] payload malformed (127.0.0.1): mode-cfg ACK attribute INTERNAL-IP4-ADDRESS carries a value');
    const compatible = result.rows.find((candidate) => candidate.row.id === 'openswan-method-openswan')!;
    expect(compatible.routerLog.join('\n')).not.toMatch(/carries a value/);
    expect(decisiveLogLine(compatible.routerLog)).toMatch(/IP Tunnel\[1\] Up/);
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
