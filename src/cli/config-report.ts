/** The one-line-per-problem report shared by `config check` and `config show` (the lines themselves: report-text.ts). */
import type { ConsoleLanguage } from '../config/errors.js';

export { problemLine, warningLine } from '../config/report-text.js';

export function parseLanguage(value: string): ConsoleLanguage {
  if (value === 'en' || value === 'ja') return value;
  throw new Error(`--lang must be en or ja, not ${value}`);
}
