/**
 * `rtxlab config show [FILE]`: prints the config as `show config` would on the RTX1500 (header,
 * RTX order, indented tunnel/pp blocks, passwords as `*`). Bad lines are reported on stderr as
 * `config check` does, and make the exit status 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import { showConfigLines } from '../config/show-config/show-config.js';
import { hardWrap } from '../config/text/display-width.js';
import { readConfigInput } from './config-input.js';
import { problemLine, warningLine } from './config-report.js';
import type { CliIo } from './io.js';

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`not a date: ${value}`);
  return date;
}

function parseColumns(value: string): number {
  const columns = Number(value);
  if (!Number.isInteger(columns) || columns < 80 || columns > 200) throw new InvalidArgumentError('80..200');
  return columns;
}

export function configShowCommand(io: CliIo): Command {
  return new Command('show')
    .description('print a config as `show config` does on an RTX1500 Rev.8.03.75')
    .argument('[file]', 'config file; - for stdin; default: the embedded default config')
    .option('--date <iso>', 'the router clock for "# Reporting Date:" (default: now)', parseDate)
    .option('--columns <n>', 'hard-wrap lines as an N-column console does (80..200; default: no wrap)', parseColumns)
    .option('--newer-values', 'apply values later than Rev.8.03 (aes256-cbc, ...)')
    .action(async (file: string | undefined, options: { date?: Date; columns?: number; newerValues?: boolean }) => {
      const input = await readConfigInput(file, io, { acceptNewerValues: options.newerValues === true }).catch((error: unknown) => {
        io.stderr(`rtxlab config show: ${error instanceof Error ? error.message : String(error)}\n`);
        io.setExitCode(2);
        return undefined;
      });
      if (input === undefined) return;
      const { result } = input;
      for (const problem of result.problems) io.stderr(`${problemLine(problem, 'en', true)}\n`);
      for (const warning of result.warnings) io.stderr(`${warningLine(warning)}\n`);
      const lines = showConfigLines(result.model, { now: options.date ?? new Date() });
      const printed = options.columns === undefined ? lines : lines.flatMap((line) => hardWrap(line, options.columns!));
      io.stdout(`${printed.join('\n')}\n`);
      io.setExitCode(result.problems.length > 0 ? 1 : 0);
    });
}
