/**
 * The prompt (rtx-behaviour.md §5.5): the `console prompt` text, the selected tunnel or pp
 * (form assumed: `tunnel1`, `pp1`, as the unofficial simulator prints it), then `> ` for a user
 * or `# ` for the administrator.
 */
import type { ConfigContext } from '../config/model.js';

export type PromptLevel = { readonly level: 'user' } | { readonly level: 'administrator'; readonly context: ConfigContext };

export function promptText(prefix: string, level: PromptLevel): string {
  return level.level === 'user' ? `${prefix}> ` : `${prefix}${selectionLabel(level.context)}# `;
}

function selectionLabel(context: ConfigContext): string {
  switch (context.kind) {
    case 'global':
      return '';
    case 'tunnel':
      return `tunnel${context.tunnel}`;
    case 'pp':
      return `pp${context.peer}`;
  }
}
