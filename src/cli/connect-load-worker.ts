/**
 * One worker process of `rtxlab connect --workers W`: runs its share of the load run with the
 * same handshake the command would run (connect.ts builds it from the job) and sends back its
 * sample and CPU time.
 */
import { serveLoadShare } from '../matrix/load-workers.js';
import { connectRunner, type ConnectLoadJob } from './connect.js';

serveLoadShare((job, hold) => {
  const runner = connectRunner(job as ConnectLoadJob, hold);
  if (!runner.ok) throw new Error(runner.text);
  return runner.runOnce;
});
