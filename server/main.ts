/**
 * Start the server: load the knowledge base, listen, and shut down cleanly on
 * SIGTERM / SIGINT (finish in-flight requests, then exit).
 */
import type { Server } from 'node:http';
import { createApp } from './api/app.ts';
import { createEngine, type EngineOptions } from './engine.ts';
import { openStore, storeConfigFromEnv } from './store/index.ts';

export interface ServeOptions extends EngineOptions {
  port?: number;
  host?: string;
  log?: (message: string) => void;
  /** Folder of the SQLite case store (default ./data, or MTBNET_DATA_DIR); ignored when NEO4J_URI is set. */
  dataDir?: string;
}

export async function serve(options: ServeOptions = {}): Promise<Server> {
  const log = options.log ?? ((m: string) => console.error(m));
  const engine = createEngine(options);
  const store = await openStore(storeConfigFromEnv(process.env, { dataDir: options.dataDir }));
  const app = createApp({ engine, store, log });
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.on('error', reject);
  });
  const c = engine.kb.counts;
  log(`mtbnet: knowledge base ${engine.kb.graph.getAttribute('version')} (${c.evidence} evidence items, ${c.drugs} drugs, ${c.genes} genes)`);
  const si = store.info();
  log(`mtbnet: case store ${si.kind} at ${si.location} (schema version ${si.schemaVersion})`);
  log(`mtbnet: serving http://${host === '0.0.0.0' ? 'localhost' : host}:${(server.address() as { port: number }).port}`);
  const stop = (signal: string) => {
    log(`mtbnet: ${signal}: finishing in-flight requests`);
    server.close(() => {
      void store.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}
