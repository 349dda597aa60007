/**
 * `rtxlab matrix`: replays every client of the seed's table against an rtxlab router started in
 * this process (127.0.0.1, ephemeral ports) with the matching config, and prints the table with
 * each row's outcome and decisive log line. Exit status 1 when any row differs from the seed.
 */
import { Command } from 'commander';
import { formatMatrix, matrixJson, runMatrix, selectRows, SEED_MATRIX } from '../matrix/index.js';
import { processIo, type CliIo } from './io.js';

interface MatrixCliOptions {
  readonly row?: readonly string[];
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export function buildMatrixCommand(io: CliIo = processIo): Command {
  return new Command('matrix')
    .description("replay the seed's clients (vpnc, racoon, OpenSWAN, YMS-VPN1) against an in-process rtxlab and compare with what the seed observed")
    .option('--row <id>', `run only this row (repeatable): ${SEED_MATRIX.map((row) => row.id).join(', ')}`, (value: string, previous: readonly string[] = []) => [...previous, value])
    .option('--json', 'machine-readable result on stdout')
    .option('-v, --verbose', "add each row's client transcript and router log")
    .action(async (options: MatrixCliOptions) => {
      try {
        selectRows(options.row);
      } catch (error) {
        io.stderr(`rtxlab matrix: ${(error as Error).message}\n`);
        io.setExitCode(2);
        return;
      }
      const result = await runMatrix({
        ...(options.row ? { rowIds: options.row } : {}),
        ...(options.json ? {} : { onRow: (row) => io.stderr(`rtxlab matrix: ${row.row.id} ${row.verdict.matches ? 'matches' : 'DIFFERS'}\n`) }),
      });
      io.stdout(options.json ? `${JSON.stringify(matrixJson(result), null, 2)}\n` : `${formatMatrix(result, { verbose: options.verbose === true }).join('\n')}\n`);
      io.setExitCode(result.allMatch ? 0 : 1);
    });
}
