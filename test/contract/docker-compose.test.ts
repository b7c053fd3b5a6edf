/**
 * docker-compose.yml: Neo4j 5 with a data volume and a health check, the
 * evidence load, and the server against Neo4j. Parsed here with the yaml
 * package; `docker-compose config` also checks it where that tool is installed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const file = new URL('../../docker-compose.yml', import.meta.url);
const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; volumes?: string[];
    healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }> }>;
  volumes: Record<string, unknown>;
};

function hasTool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('docker-compose.yml', () => {
  it('runs Neo4j 5 with a data volume and a health check', () => {
    const neo4j = compose.services.neo4j!;
    expect(neo4j.image).toMatch(/^neo4j:5/);
    expect(neo4j.volumes).toContain('neo4j-data:/data');
    expect(compose.volumes).toHaveProperty('neo4j-data');
    expect(neo4j.healthcheck?.test.join(' ')).toMatch(/cypher-shell/);
  });

  it('loads the evidence, then starts the server against Neo4j', () => {
    const load = compose.services['load-evidence']!;
    expect(load.command).toEqual(['node', 'bin/mtbnet.mjs', 'evidence', 'load-neo4j']);
    expect(load.depends_on?.neo4j?.condition).toBe('service_healthy');
    const server = compose.services.mtbnet!;
    expect(server.build).toBeDefined();
    expect(server.environment?.NEO4J_URI).toBe('bolt://neo4j:7687');
    expect(server.depends_on?.['load-evidence']?.condition).toBe('service_completed_successfully');
    expect(server.healthcheck?.test.join(' ')).toMatch(/api\/health/);
  });

  it.skipIf(!hasTool('docker-compose'))('passes docker-compose config', () => {
    execFileSync('docker-compose', ['-f', file.pathname, 'config', '-q'], { stdio: 'pipe' });
  });
});
