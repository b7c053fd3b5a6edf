/**
 * Load evidence/ into Neo4j (the same as `mtbnet evidence load-neo4j`):
 *   NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... npx tsx scripts/neo4j/load-evidence.ts [--evidence DIR]
 */
import { main } from '../../server/cli/main.ts';

process.exitCode = await main(['evidence', 'load-neo4j', ...process.argv.slice(2)]);
