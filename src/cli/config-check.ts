/**
 * `rtxlab config check [FILE]`: reads a config as the router would and prints one line per bad
 * line (`line N: <command>: Error: ...`), exit status 1 when there is any. Commands RTX1500
 * Rev.8.03 did not have are warned about and not applied (exit status unaffected).
 */
import { Command } from 'commander';
import { readConfigInput } from './config-input.js';
import { lineTallyText } from '../config/report-text.js';
import { parseLanguage, problemLine, warningLine } from './config-report.js';
import type { CliIo } from './io.js';

export function configCheckCommand(io: CliIo): Command {
  return new Command('check')
    .description('check a config as an RTX1500 Rev.8.03.75 reads it: one line per bad line, exit 1 if any')
    .argument('[file]', 'config file (UTF-8 or Shift_JIS, a console capture is fine); - for stdin; default: the embedded default config')
    .option('--lang <en|ja>', 'error messages in English (console character ascii) or Japanese', parseLanguage, 'en')
    .option('-v, --verbose', 'add what was wrong to each error line')
    .option('--newer-values', 'apply values later than Rev.8.03 (aes256-cbc, ...)')
    .action(async (file: string | undefined, options: { lang: 'en' | 'ja'; verbose?: boolean; newerValues?: boolean }) => {
      const input = await readConfigInput(file, io, { acceptNewerValues: options.newerValues === true }).catch((error: unknown) => {
        io.stderr(`rtxlab config check: ${error instanceof Error ? error.message : String(error)}\n`);
        io.setExitCode(2);
        return undefined;
      });
      if (input === undefined) return;
      const { label, result } = input;
      for (const problem of result.problems) io.stdout(`${problemLine(problem, options.lang, options.verbose === true)}\n`);
      for (const warning of result.warnings) io.stdout(`${warningLine(warning)}\n`);
      io.stderr(
        `${label}: ${result.model.size} commands accepted, ${result.problems.length} errors, ` +
          `${result.warnings.length} warnings${result.capture ? ' (read as a console capture)' : ''}\n` +
          `${label}: ${lineTallyText(result.lines)}\n`,
      );
      io.setExitCode(result.problems.length > 0 ? 1 : 0);
    });
}
