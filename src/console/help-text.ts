/**
 * `help`: the RTX's own help text was not found, so rtxlab prints what its declarations know:
 * every operational command with its syntax and help line, then how configuration commands and
 * the keys work (assumed, docs/console.md).
 */
import type { ConsoleLanguage } from '../config/errors.js';
import type { ParameterSlot } from './command-syntax.js';
import { OPERATIONAL_COMMANDS, type OperationalCommand } from './operational-commands.js';

function slotSyntax(slot: ParameterSlot): string {
  switch (slot.kind) {
    case 'flag':
      return `[${slot.keyword}]`;
    case 'keyword-value':
      return `[${slot.keyword} ${slot.value.label}]`;
    case 'choice':
      return `[${slot.options.map((o) => `${o.keyword} ${o.value.label}`).join(' | ')}]`;
    case 'value':
      return [slot.value.label, ...(slot.value.keywords ?? [])].join('|');
  }
}

export function commandSyntax(command: OperationalCommand): string {
  return [...command.name, ...command.parameters.map(slotSyntax)].join(' ');
}

export function helpLines(language: ConsoleLanguage): string[] {
  const syntaxes = OPERATIONAL_COMMANDS.map(commandSyntax);
  const width = Math.max(...syntaxes.map((s) => s.length)) + 2;
  const commands = OPERATIONAL_COMMANDS.map((command, i) => `  ${syntaxes[i]!.padEnd(width)}${command.help[language]}`);
  return language === 'en'
    ? [
        'Commands:',
        ...commands,
        'Configuration commands (administrator): every command of the RTX1500; "no COMMAND" restores its default.',
        'Keys: ? lists what may follow, TAB completes a word, BS erases a character, Ctrl-U the line.',
      ]
    : [
        'コマンド:',
        ...commands,
        '設定コマンド (管理ユーザ): RTX1500 のすべての設定コマンド。"no コマンド" で初期値に戻る。',
        'キー: ? で続けて入力できる語の一覧、TAB で語の補完、BS で 1 文字、Ctrl-U で行を消去。',
      ];
}
