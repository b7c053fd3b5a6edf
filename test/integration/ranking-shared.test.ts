/**
 * Contributions are shared, frozen values across rankings (server/scoring/intern.ts) and their JSON text is
 * reused (server/domain/result-json.ts). On the shipped knowledge base and a seeded panel cohort (the
 * benchmark's generator), neither may change a byte: the same profile ranks the same whether it comes first
 * or after hundreds of others, and the text is JSON.stringify's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../server/domain/profile.ts';
import { rankResultJson } from '../../server/domain/result-json.ts';
import { createEngine, type Engine } from '../../server/engine.ts';
import { generateMaf } from '../../scripts/bench/generate-maf.ts';

let dir: string;
let profiles: Profile[];
let a: Engine;
let b: Engine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mtbnet-shared-'));
  const maf = join(dir, 'cohort.maf');
  await generateMaf(maf, 400, 7);
  a = createEngine();
  b = createEngine();
  profiles = [];
  for await (const r of a.readAll({ path: maf })) profiles.push(r.profile);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shared contributions on the shipped knowledge base', () => {
  it('rank a cohort the same in either order, and write the text JSON.stringify writes', () => {
    expect(profiles.length).toBeGreaterThan(350);
    const forward = new Map(profiles.map((p) => [p.id, a.rank(p)]));
    const backward = new Map([...profiles].reverse().map((p) => [p.id, b.rank(p)]));
    let contributions = 0;
    for (const p of profiles) {
      const r = forward.get(p.id)!;
      const text = JSON.stringify(r);
      expect(text).toBe(JSON.stringify(backward.get(p.id)));
      expect(rankResultJson(r)).toBe(text);
      // What the API adds around a result (reader warnings, sample IDs) is written in place too.
      const answer = { ...r, warnings: ['line 2: a note', ...r.warnings], sampleIds: [{ name: 'x', id: 'S-1' }] };
      expect(rankResultJson(answer)).toBe(JSON.stringify(answer));
      for (const t of r.therapies) contributions += t.evidence.length;
    }
    expect(contributions).toBeGreaterThan(10 * profiles.length);
  });

  it('refuses a change to a contribution another ranking shares', () => {
    const r = a.rank(profiles[0]!);
    const e = r.therapies[0]!.evidence.find((x) => !x.superiority)!;
    expect(() => {
      (e as { contribution: number }).contribution = 1000;
    }).toThrow(TypeError);
    expect(() => (e.alterations as string[]).push('X:y')).toThrow(TypeError);
  });

  it('shares a therapy resting on one contribution between rankings, frozen, and writes it as JSON.stringify does', () => {
    const first = new Map(profiles.slice(0, 100).map((p) => [p.id, a.rank(p)]));
    let shared = 0;
    for (const p of profiles.slice(0, 100)) {
      const again = a.rank(p);
      const before = first.get(p.id)!;
      for (const [i, t] of again.therapies.entries()) {
        if (t.evidence.length !== 1 || t.evidence[0]!.superiority) continue;
        // The same object, ranking after ranking; nobody can change what the other rankings hold.
        expect(t).toBe(before.therapies[i]);
        expect(Object.isFrozen(t) && Object.isFrozen(t.drugs) && Object.isFrozen(t.alterations) && Object.isFrozen(t.evidence)).toBe(true);
        expect(() => {
          (t as { score: number }).score = 1000;
        }).toThrow(TypeError);
        shared++;
      }
      expect(rankResultJson(again)).toBe(JSON.stringify(before));
    }
    expect(shared).toBeGreaterThan(10 * 100);
  });

  it('shares a therapy with several contributions too, when the same contributions come again', () => {
    const withSeveral = profiles.filter((p) => a.rank(p).therapies.some((t) => t.evidence.length > 1)).slice(0, 50);
    expect(withSeveral.length).toBeGreaterThan(10);
    let shared = 0;
    for (const p of withSeveral) {
      const before = a.rank(p);
      const again = a.rank(p);
      for (const [i, t] of again.therapies.entries()) {
        if (t.evidence.length < 2 || t.evidence.some((e) => e.superiority)) continue;
        expect(t).toBe(before.therapies[i]);
        expect(Object.isFrozen(t) && Object.isFrozen(t.evidence)).toBe(true);
        shared++;
      }
      expect(rankResultJson(again)).toBe(JSON.stringify(before));
      // The other engine, which ranked the cohort in the other order, built its own objects with the same text.
      expect(rankResultJson(b.rank(p))).toBe(JSON.stringify(before));
    }
    expect(shared).toBeGreaterThan(10);
  });
});
