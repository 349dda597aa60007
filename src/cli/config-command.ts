/** `rtxlab config ...`: reading and printing RTX configs. */
import { Command } from 'commander';
import { configCheckCommand } from './config-check.js';
import { configShowCommand } from './config-show.js';
import type { CliIo } from './io.js';

export function configCommand(io: CliIo): Command {
  return new Command('config')
    .description('check or print an RTX1500 config (without FILE: the embedded default config)')
    .addCommand(configCheckCommand(io))
    .addCommand(configShowCommand(io));
}
