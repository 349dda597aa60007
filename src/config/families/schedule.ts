/**
 * The schedule family: `schedule at` (command reference §37.1) runs a command at a date and time,
 * at start-up, or after a delay. The command is kept as written; like the router, the emulator
 * only finds out whether it is valid when the schedule fires.
 */
import grammar from '../generated/schedule.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import { firstProblem, inRange } from './checks.js';

export type ScheduleTarget =
  | { kind: 'none' }
  | { kind: 'pp'; peer: number | 'anonymous' }
  | { kind: 'tunnel'; tunnel: number }
  | { kind: 'switch'; switch: string };

export interface ScheduleParams {
  'schedule at': {
    id: number;
    /** `month/day`, lower-cased, as written (`*\/*`, `*\/mon-fri`); absent means every day. */
    date?: string;
    /** `hh:mm[:ss]` (`*` allowed for hh and mm), `startup`, `usb-attached` or `sd-attached`. */
    time?: string;
    /** Seconds of the `+timer` form (1..3600). */
    delay?: number;
    target: ScheduleTarget;
    command: string[];
  };
}

const commands = ['schedule at'] as const;

/** Every number in a date/time field (`1,3-5`, `-7`, `mon-fri` has none). */
const numbersIn = (field: string): number[] => (field.match(/\d+/g) ?? []).map(Number);

function validate(command: ParsedCommand): ValidationProblem | undefined {
  const { id, date, time, delay } = command.params as ScheduleParams['schedule at'];
  const [month = '*', day = '*'] = (date ?? '*/*').split('/');
  const clock = time !== undefined && time.includes(':') ? time.split(':') : [];
  return firstProblem(
    inRange(id, 1, 2147483647, 'schedule id'),
    delay === undefined ? undefined : inRange(delay, 1, 3600, 'timer'),
    ...numbersIn(month).map((m) => inRange(m, 1, 12, 'month')),
    ...numbersIn(day).map((d) => inRange(d, 1, 31, 'day')),
    ...numbersIn(clock[0] ?? '').map((h) => inRange(h, 0, 23, 'hour')),
    ...numbersIn(clock[1] ?? '').map((m) => inRange(m, 0, 59, 'minute')),
    ...numbersIn(clock[2] ?? '').map((s) => inRange(s, 0, 59, 'second')),
    // §37.1: "date に数字と曜日を混在させて指定はできない".
    /\d/.test(day) && /[a-z]/.test(day) ? { error: 'illegal-keyword', detail: 'date mixes days and weekdays' } : undefined,
  );
}

const specs: Readonly<Record<(typeof commands)[number], CommandSpec>> = {
  'schedule at': { scope: 'global', identity: 1 },
};

export const family: CommandFamily = {
  name: 'schedule',
  firstKeywords: ['schedule'],
  commands,
  grammar,
  validate,
  specs,
};
