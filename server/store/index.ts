/**
 * Open the configured case store: Neo4j when NEO4J_URI is set, otherwise the
 * embedded SQLite file under the data folder (./data by default; MTBNET_DATA_DIR
 * or --data to change it). The folder is created when missing.
 */
import { join, resolve } from 'node:path';
import type { CaseStore } from './types.ts';
import { DB_FILE, SqliteCaseStore } from './sqlite/store.ts';

export type { CaseStore, StoreInfo, Transition, AlterationHit, CaseFilter } from './types.ts';
export { SqliteCaseStore, DB_FILE } from './sqlite/store.ts';

export const DEFAULT_DATA_DIR = 'data';

export interface StoreConfig {
  /** Folder of the SQLite file. */
  dataDir?: string;
  neo4j?: { uri: string; user?: string; password?: string; database?: string };
}

export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: { dataDir?: string } = {}): StoreConfig {
  return {
    dataDir: overrides.dataDir ?? env.MTBNET_DATA_DIR ?? DEFAULT_DATA_DIR,
    neo4j: env.NEO4J_URI
      ? { uri: env.NEO4J_URI, user: env.NEO4J_USER ?? 'neo4j', password: env.NEO4J_PASSWORD ?? '', database: env.NEO4J_DATABASE }
      : undefined,
  };
}

export async function openStore(config: StoreConfig = storeConfigFromEnv()): Promise<CaseStore> {
  if (config.neo4j) {
    const { openNeo4jStore } = await import('./neo4j/store.ts');
    return openNeo4jStore(config.neo4j);
  }
  return new SqliteCaseStore({ file: join(resolve(config.dataDir ?? DEFAULT_DATA_DIR), DB_FILE) });
}
