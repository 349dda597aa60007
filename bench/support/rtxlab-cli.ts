/**
 * The `rtxlab` command line from this checkout's sources (through tsx), for benches that run it
 * in a process of their own: a load generator pinned to a core, a router in a namespace.
 */
import { main } from '../../src/cli/main.js';

await main(process.argv);
