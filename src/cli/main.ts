import { Command } from 'commander';

/** Builds the `rtxlab` command line. Each sub-command lives in its own module under src/cli/. */
export function buildProgram(): Command {
  const program = new Command('rtxlab')
    .description('YAMAHA RTX1500 (Rev.8.03.75) IKEv1 remote-access VPN gateway emulator')
    .version('0.1.0');
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
