/**
 * `rtxlab connect` in a process of its own, for benches that pin the load generator to a core of
 * its own: runs the command line it is given (after `connect`) and prints its stdout.
 */
import { main } from '../../src/cli/main.js';

await main(['node', 'rtxlab', 'connect', ...process.argv.slice(2)]);
