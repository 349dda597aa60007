/**
 * The description family (command reference §4.56, §49.4): free text describing the system, an
 * interface, the selected pp or tunnel, or the YNO agent. It has no effect on the router.
 */
import grammar from '../generated/description.js';
import type { CommandFamily, CommandSpec, ParsedCommand, ValidationProblem } from '../family.js';
import type { ConfigToken } from '../tokenize.js';
import { firstProblem, inRange } from './checks.js';
import { shiftJisLength } from './matchers.js';

export interface DescriptionParams {
  /** System description (`description 1 <text>`, or the older id-less `description <text>`), or an interface's. */
  description: { text: string; id?: number; interface?: string };
  'description pp': { text: string };
  'description tunnel': { text: string };
  'description yno': { text: string };
}

export type DescriptionCommandName = keyof DescriptionParams;

const commands: readonly DescriptionCommandName[] = ['description', 'description pp', 'description tunnel', 'description yno'];

/** §4.56: at most 64 ASCII or 32 Shift_JIS characters. */
export const MAX_DESCRIPTION_BYTES = 64;
/** §4.56: system description ids 1..21474836. */
export const MAX_DESCRIPTION_ID = 21474836;

function validate(command: ParsedCommand): ValidationProblem | undefined {
  const params = command.params as DescriptionParams['description'];
  // The router's message for an over-long text is not documented: `Parameter out of range` is assumed.
  return firstProblem(
    params.id === undefined ? undefined : inRange(params.id, 1, MAX_DESCRIPTION_ID, 'description id'),
    shiftJisLength(params.text) > MAX_DESCRIPTION_BYTES
      ? { error: 'parameter-out-of-range', detail: `description longer than ${MAX_DESCRIPTION_BYTES} bytes` }
      : undefined,
  );
}

/** `description 2 …` and `description lan1 …` are separate settings; the id-less form is one. */
const firstWordUnlessText = (words: readonly ConfigToken[]): readonly string[] => (words.length > 1 ? [words[0]!.text] : []);

const specs: Readonly<Record<DescriptionCommandName, CommandSpec>> = {
  description: { scope: 'global', identity: firstWordUnlessText },
  'description pp': { scope: 'pp', identity: 0 },
  'description tunnel': { scope: 'tunnel', identity: 0 },
  'description yno': { scope: 'global', identity: 0 },
};

export const family: CommandFamily = {
  name: 'description',
  firstKeywords: ['description'],
  commands,
  grammar,
  validate,
  specs,
};
