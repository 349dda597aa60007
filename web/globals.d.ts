// xterm.js and its fit addon load as classic scripts (UMD) before app.js: the page has no bundler.
import type { Terminal as XtermTerminal } from '@xterm/xterm';
import type { FitAddon as XtermFitAddon } from '@xterm/addon-fit';

declare global {
  interface Window {
    Terminal: typeof XtermTerminal;
    FitAddon: { FitAddon: typeof XtermFitAddon };
  }
}
