/**
 * `mtbnet evidence load-neo4j`: load the knowledge base (evidence/, or --evidence DIR)
 * into Neo4j at NEO4J_URI, idempotently (constraints, MERGE, batched UNWIND,
 * then prune what the files no longer hold). Prints the counts in Neo4j.
 */
import type { Engine } from '../../engine.ts';
import { openNeo4jStore } from '../../store/neo4j/store.ts';
import { UsageError, type Io } from '../io.ts';

export async function loadNeo4jCommand(engine: Engine, io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!env.NEO4J_URI) throw new UsageError('evidence load-neo4j: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD), e.g. NEO4J_URI=bolt://localhost:7687');
  const store = await openNeo4jStore({ uri: env.NEO4J_URI, user: env.NEO4J_USER, password: env.NEO4J_PASSWORD, database: env.NEO4J_DATABASE });
  try {
    const started = Date.now();
    const counts = await store.loadEvidence(engine.kb.graph);
    const info = engine.kb.graph.getAttributes();
    io.stdout(`evidence load-neo4j: ${info.name} ${info.version} (${info.hash}) loaded into ${env.NEO4J_URI} in ${Date.now() - started} ms\n`);
    io.stdout(`  ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
