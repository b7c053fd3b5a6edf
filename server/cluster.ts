/**
 * `mtbnet serve --workers N`: N server processes sharing one port (node:cluster),
 * so a multi-core machine answers ranking requests on every core. The primary
 * opens the store once first (migrations run once), restarts a worker that
 * dies, and on SIGTERM / SIGINT lets every worker finish its in-flight requests.
 */
import cluster from 'node:cluster';
import { openStore, storeConfigFromEnv } from './store/index.ts';

export async function runPrimary(workers: number, options: { dataDir?: string; log?: (m: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((m: string) => console.error(m));
  const store = await openStore(storeConfigFromEnv(process.env, { dataDir: options.dataDir }));
  await store.close();
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  log(`mtbnet: ${workers} server processes`);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log(`mtbnet: server process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (sig: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
    setTimeout(() => process.exit(0), 12_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export const isPrimary = () => cluster.isPrimary;
