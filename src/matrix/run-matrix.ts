/** Runs rows of the matrix one after the other (each with its own router), and says whether all matched. */
import { runMatrixRow, MATRIX_TIMING, type RowResult } from './run-row.js';
import { SEED_MATRIX, type MatrixRow } from './rows.js';
import type { TunnelTiming } from '../initiator/index.js';
import type { RouterControl } from '../router/rtx-router-api.js';

export interface MatrixResult {
  readonly rows: readonly RowResult[];
  readonly allMatch: boolean;
}

export interface MatrixRunOptions {
  /** Only these rows (by id); default every row. */
  readonly rowIds?: readonly string[];
  readonly timing?: TunnelTiming;
  /** Called as each row finishes (progress output). */
  readonly onRow?: (result: RowResult) => void;
  /** Called with each row's own router before it starts (the web console watches its events for the row's ladder). */
  readonly observeRouter?: (row: MatrixRow, router: RouterControl) => void;
}

/** The rows a selection names; throws RangeError naming ids that are not rows. */
export function selectRows(rowIds: readonly string[] | undefined, rows: readonly MatrixRow[] = SEED_MATRIX): readonly MatrixRow[] {
  if (rowIds === undefined || rowIds.length === 0) return rows;
  const unknown = rowIds.filter((id) => !rows.some((row) => row.id === id));
  if (unknown.length > 0) throw new RangeError(`no matrix row ${unknown.join(', ')} (rows: ${rows.map((row) => row.id).join(', ')})`);
  return rows.filter((row) => rowIds.includes(row.id));
}

export async function runMatrix(options: MatrixRunOptions = {}): Promise<MatrixResult> {
  const results: RowResult[] = [];
  for (const row of selectRows(options.rowIds)) {
    const observe = options.observeRouter;
    const result = await runMatrixRow(row, options.timing ?? MATRIX_TIMING, observe === undefined ? undefined : (router) => observe(row, router));
    results.push(result);
    options.onRow?.(result);
  }
  return { rows: results, allMatch: results.every((result) => result.verdict.matches) };
}
