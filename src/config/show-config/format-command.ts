/**
 * One command as `show config` prints it: the name in lower case, keywords in lower case,
 * values as entered, quoted when they were quoted or hold a space or a character the console
 * treats specially (`? # | > \ ' "`, command reference §1.5), secrets masked by the family's spec.
 */
import type { CommandSpec, PrintWord } from '../family.js';
import type { ConfigCommand } from '../model.js';

const NEEDS_QUOTES = /[\s?#|>\\'"]/;
const KEY_VALUE = /^([A-Za-z][\w.-]*=)(.*)$/s;

const doubleQuoted = (text: string): string => `"${text.replace(/[\\"]/g, '\\$&')}"`;

/**
 * A value as it must be typed to be read back unchanged; `force` quotes it even when it has
 * nothing special (it was quoted where it was entered: `pp name "インターネット接続"`).
 */
export function quoteValue(value: string, force = false): string {
  if (value === '') return '""';
  if (!force && !NEEDS_QUOTES.test(value)) return value;
  // `prefix="9#"`: only the part after `=` is quoted, as configs write it.
  const keyValue = KEY_VALUE.exec(value);
  if (keyValue) return `${keyValue[1]}${doubleQuoted(keyValue[2]!)}`;
  return doubleQuoted(value);
}

const printWord = (word: PrintWord): string =>
  word.keyword ? word.value.toLowerCase() : quoteValue(word.value, word.quoted === true);

/** The command's line (without indentation). A here-document's body follows on its own lines. */
export function formatCommand(command: ConfigCommand, spec?: CommandSpec, secrets: 'masked' | 'kept' = 'masked'): string[] {
  const words = spec?.printWords && secrets === 'masked' ? spec.printWords(command.words) : command.words;
  const line = [...(command.negated ? ['no'] : []), ...command.nameWords, ...words.map(printWord)].join(' ');
  if (command.heredoc === undefined) return [line];
  return [line, ...command.heredoc.body, command.heredoc.terminator];
}
