import { Command } from 'commander';
import { configCommand } from './config-command.js';
import { buildConnectCommand } from './connect.js';
import { buildConsoleCommand } from './console.js';
import { buildDoctorCommand } from './doctor.js';
import { buildMatrixCommand } from './matrix.js';
import { processIo, type CliIo } from './io.js';
import { buildStartCommand } from './start.js';

/** Builds the `rtxlab` command line. Each sub-command lives in its own module under src/cli/. */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('rtxlab')
    .description('YAMAHA RTX1500 (Rev.8.03.75) IKEv1 remote-access VPN gateway emulator')
    .version('0.1.0');
  program.addCommand(buildStartCommand());
  program.addCommand(buildConsoleCommand());
  program.addCommand(configCommand(io));
  program.addCommand(buildConnectCommand(io));
  program.addCommand(buildMatrixCommand(io));
  program.addCommand(buildDoctorCommand(io));
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
