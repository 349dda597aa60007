/**
 * `rtxlab console`: the emulated RTX1500 in this process (IKE on its ports, as `rtxlab start`)
 * with its console on this terminal (docs/console.md). Standard output carries only the console,
 * as a serial line would; rtxlab's own messages (where it listens, config lines it skipped, router
 * problems) go to standard error. Logging out stops the router.
 */
import { Command } from 'commander';
import { runStdioConsole, type TtyInput, type TtyOutput } from '../console/adapters/stdio.js';
import { formatHostPort } from '../router/host-port.js';
import { ConfigLoadError, RtxRouter } from '../router/rtx-router.js';
import { RouterStartError } from '../router/start-errors.js';
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';
import { systemClock, type Clock } from '../router/clock.js';
import { startManagementListeners, type ManagementListeners } from './management-listeners.js';
import { addRouterOptions, reportStartup, routerOptionsFrom, untilSignal, type StartOptions } from './start.js';

export interface ConsoleOptions extends StartOptions {
  /** `--utf8`: rtxlab option, Japanese console text as UTF-8 whatever `console character` says. */
  readonly utf8?: boolean;
}

export interface ConsoleDependencies {
  readonly defaultConfig: string;
  readonly clock: Clock;
  readonly stdin: TtyInput;
  readonly stdout: TtyOutput;
  readonly stderr: (text: string) => void;
}

const defaultDependencies: ConsoleDependencies = {
  defaultConfig: DEFAULT_CONFIG_TEXT,
  clock: systemClock,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: (text) => process.stderr.write(text),
};

export function buildConsoleCommand(dependencies: Partial<ConsoleDependencies> = {}): Command {
  const deps = { ...defaultDependencies, ...dependencies };
  return addRouterOptions(
    new Command('console').description('run the emulated RTX1500 (IKE as `rtxlab start`) with its console on this terminal; scripts may pipe commands in'),
  )
    .option('--utf8', 'rtxlab option: send Japanese console text as UTF-8 whatever `console character` says (for UTF-8 terminals)')
    .action(async function (this: Command, options: ConsoleOptions) {
      let router: RtxRouter;
      let management: ManagementListeners;
      try {
        router = await RtxRouter.create(routerOptionsFrom(options, deps));
        reportStartup(router, deps.stderr);
        router.on('problem', (event) => deps.stderr(`rtxlab: ${event.text}\n`));
        const listening = await router.start();
        deps.stderr(
          `rtxlab: listening on UDP ${formatHostPort(listening.ike.address, listening.ike.port)} (IKE) and ` +
            `${formatHostPort(listening.natt.address, listening.natt.port)} (NAT-T)\n`,
        );
      } catch (error) {
        if (error instanceof RouterStartError || error instanceof ConfigLoadError) {
          this.error(`rtxlab: ${error.message}`, { exitCode: 1, code: 'rtxlab.console' });
        }
        throw error;
      }
      try {
        // telnet and SSH sessions share the router with this terminal's console.
        management = await startManagementListeners(router, options, (line) => deps.stderr(`${line}\n`), deps.clock);
      } catch (error) {
        await router.stop();
        this.error(`rtxlab: management listener: ${(error as Error).message}`, { exitCode: 1, code: 'rtxlab.console' });
      }
      // SIGTERM / SIGHUP (the terminal closed) end the session as a hang-up: logged out, router stopped.
      const stopped = new AbortController();
      const sessionOver = new AbortController();
      void untilSignal(['SIGTERM', 'SIGHUP'], sessionOver.signal).then(() => stopped.abort());
      try {
        await runStdioConsole({
          router,
          input: deps.stdin,
          output: deps.stdout,
          clock: deps.clock,
          signal: stopped.signal,
          ...(options.utf8 === true ? { lineEncoding: { kind: 'utf-8' } as const } : {}),
        });
      } finally {
        sessionOver.abort();
        await management.close();
        await router.stop();
      }
    });
}
