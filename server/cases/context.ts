/**
 * What every case use case needs: the store, the engine (to read and rank
 * profiles), a clock and an id source (injected so tests are reproducible).
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine.ts';
import type { CaseStore } from '../store/types.ts';
import type { CaseDetail, Meeting } from '../domain/case.ts';
import { NotFoundError } from '../domain/errors.ts';

export interface CaseContext {
  store: CaseStore;
  engine: Engine;
  now: () => string;
  newId: () => string;
}

export function caseContext(store: CaseStore, engine: Engine, overrides: Partial<Pick<CaseContext, 'now' | 'newId'>> = {}): CaseContext {
  return {
    store,
    engine,
    now: overrides.now ?? (() => new Date().toISOString()),
    newId: overrides.newId ?? (() => randomUUID()),
  };
}

export async function requireCase(ctx: CaseContext, id: string): Promise<CaseDetail> {
  const c = await ctx.store.getCase(id);
  if (!c) throw new NotFoundError(`cases: no case "${id}"`, [{ path: 'caseId', message: 'unknown case id' }]);
  return c;
}

export async function requireMeeting(ctx: CaseContext, id: string): Promise<Meeting> {
  const m = await ctx.store.getMeeting(id);
  if (!m) throw new NotFoundError(`cases: no meeting "${id}"`, [{ path: 'meetingId', message: 'unknown meeting id' }]);
  return m;
}
