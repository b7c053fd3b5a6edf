/**
 * Every Cypher statement of mtbnet is checked offline with
 * @neo4j-cypher/language-support: no syntax error, no undefined variable, no
 * undeclared parameter, not even a warning (deprecations, cartesian products).
 * And the parameters each statement declares are exactly the ones it uses.
 */
import { lintCypherQuery } from '@neo4j-cypher/language-support';
import { describe, expect, it } from 'vitest';
import { allStatements, type Statement } from '../../../server/store/neo4j/cypher.ts';

const LABELS = [
  'Gene', 'Alteration', 'Biomarker', 'Drug', 'Therapy', 'TumourType', 'Evidence', 'KnowledgeBase',
  'Case', 'Profile', 'Snapshot', 'Meeting', 'Decision', 'FollowUp', 'SchemaVersion',
];
const RELATIONSHIP_TYPES = [
  'IN_GENE', 'MATCHES', 'FOR_BIOMARKER', 'FOR_THERAPY', 'USES', 'IN_TUMOUR', 'TARGETS', 'APPROVED_IN', 'SIGNALS_TO', 'IS_A', 'ABOUT_GENE', 'SUPERIOR_TO',
  'HAS_PROFILE', 'HAS_ALTERATION', 'RANKS', 'ON_AGENDA', 'FOR_CASE', 'AT_MEETING', 'BASED_ON', 'OF_DECISION',
];

function lint(st: Statement) {
  return lintCypherQuery(st.cypher, { labels: LABELS, relationshipTypes: RELATIONSHIP_TYPES, parameters: st.params }).diagnostics.map(
    (d) => `${d.severity === 1 ? 'error' : 'warning'} at ${d.offsets.start}: ${d.message}`,
  );
}

/** `$name` uses in a statement, outside string literals. */
function usedParameters(cypher: string): string[] {
  const code = cypher.replace(/'[^']*'/g, "''");
  return [...new Set([...code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

describe('Cypher statements', () => {
  const statements = allStatements();

  it('has statements to check', () => {
    expect(statements.length).toBeGreaterThan(40);
  });

  it.each(statements)('%s passes the Cypher linter', (_name, st) => {
    expect(lint(st)).toEqual([]);
  });

  it.each(statements)('%s declares exactly the parameters it uses', (_name, st) => {
    expect(Object.keys(st.params).sort()).toEqual(usedParameters(st.cypher));
  });

  it('reports a deliberately broken statement (a missing parenthesis)', () => {
    const broken: Statement = { cypher: 'MATCH (c:Case {id: $id} RETURN c', params: { id: 'MTB-1' } };
    const problems = lint(broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.startsWith('error'))).toBe(true);
  });

  it('reports a misspelled label (the DESIGN §3 labels are declared)', () => {
    expect(lint({ cypher: 'MATCH (e:Evidense {id: $id}) RETURN e', params: { id: 'x' } }).join('\n')).toMatch(/Label Evidense is not present/);
  });

  it('reports an undefined variable and an undeclared parameter', () => {
    expect(lint({ cypher: 'MATCH (c:Case {id: $id}) RETURN d', params: { id: 'x' } }).join('\n')).toMatch(/`d` not defined/);
    expect(lint({ cypher: 'MATCH (c:Case {id: $id}) RETURN c', params: {} }).join('\n')).toMatch(/\$id is not defined/);
  });
});
