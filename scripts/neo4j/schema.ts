/**
 * Print every Cypher statement of mtbnet (constraints first), e.g. to review
 * them or to paste the constraints into cypher-shell:
 *   npx tsx scripts/neo4j/schema.ts [--constraints]
 */
import { allStatements } from '../../server/store/neo4j/cypher.ts';

const only = process.argv.includes('--constraints');
for (const [name, st] of allStatements()) {
  if (only && !name.startsWith('CONSTRAINTS.')) continue;
  process.stdout.write(`// ${name}${Object.keys(st.params).length ? ` ($${Object.keys(st.params).join(', $')})` : ''}\n${st.cypher};\n\n`);
}
