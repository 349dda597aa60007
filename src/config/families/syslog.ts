/**
 * The syslog family (command reference §4.25-4.36): where the router's log goes and which levels.
 * Defaults (reference): facility user, notice off, info on, debug off, source port 514.
 */
import grammar from '../generated/syslog.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { firstProblem, inRange, lengthBetween } from './checks.js';

export type SyslogFacility = number | 'user' | `local${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7}`;

export interface SyslogParams {
  'syslog debug': { enabled: boolean };
  'syslog info': { enabled: boolean };
  'syslog notice': { enabled: boolean };
  /** Up to 4 hosts on one line (§4.25): IP addresses or host names. */
  'syslog host': { hosts: string[] };
  'syslog facility': { facility: SyslogFacility };
  'syslog local address': { address: string };
  'syslog srcport': { port: number };
  'syslog execute command': { enabled: boolean };
  'syslog format type': { type: 'rfc3164' | 'rfc5424' | 'yamaha' };
}

export type SyslogCommandName = keyof SyslogParams;

export function syslogParams<N extends SyslogCommandName>(command: ParsedCommand, name: N): SyslogParams[N] {
  if (command.name !== name) throw new Error(`expected ${name}, got ${command.name}`);
  return command.params as unknown as SyslogParams[N];
}

const commands: readonly SyslogCommandName[] = [
  'syslog debug',
  'syslog info',
  'syslog notice',
  'syslog host',
  'syslog facility',
  'syslog local address',
  'syslog srcport',
  'syslog execute command',
  'syslog format type',
];

function validate(command: ParsedCommand): ValidationProblem | undefined {
  switch (command.name as SyslogCommandName) {
    case 'syslog host': {
      const hosts = syslogParams(command, 'syslog host').hosts;
      return firstProblem(
        inRange(hosts.length, 1, 4, 'number of hosts'),
        ...hosts.map((h) => lengthBetween(h, 1, 255, 'host')),
      );
    }
    case 'syslog facility': {
      const facility = syslogParams(command, 'syslog facility').facility;
      return typeof facility === 'number' ? inRange(facility, 0, 23, 'facility') : undefined;
    }
    case 'syslog srcport':
      return inRange(syslogParams(command, 'syslog srcport').port, 1, 65535, 'port');
    default:
      return undefined;
  }
}

// Every syslog command is one global setting: entering it again replaces it.
const specs: Readonly<Record<string, CommandSpec>> = Object.fromEntries(
  commands.map((name) => [name, { identity: 0, scope: 'global' } satisfies CommandSpec]),
);

export const family: CommandFamily = {
  name: 'syslog',
  firstKeywords: ['syslog'],
  commands,
  grammar,
  validate,
  specs,
};
