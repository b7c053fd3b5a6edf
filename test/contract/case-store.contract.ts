/**
 * The contract every CaseStore keeps (server/store/types.ts), run against
 * SQLite always and against Neo4j when NEO4J_URI is set. Each test gets an
 * empty store from the factory.
 */
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord, Decision, FollowUp, Meeting, ProfileRecord, Snapshot } from '../../server/domain/case.ts';
import { ConflictError, NotFoundError } from '../../server/domain/errors.ts';
import type { CaseStore } from '../../server/store/types.ts';
import { pageInMemory, type CaseSummaryPageQuery } from '../../server/store/summary-search.ts';

const T0 = '2025-03-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const caseRecord = (id: string, minutes = 0): CaseRecord => ({ id, tumourType: 'LUAD', status: 'new', createdAt: at(minutes), updatedAt: at(minutes) });
export const profileRecord = (caseId: string, seq: number, keys: string[]): ProfileRecord => ({
  caseId, seq, sample: seq === 1 ? 'primary' : null, collectedOn: null, createdAt: at(seq),
  profile: { id: caseId, tumourType: 'LUAD', alterations: keys.map((key) => ({ key, kind: 'mutation', gene: key.split(':')[0]!, label: key })) as never },
  alterationKeys: keys,
});
const snapshot = (id: string, caseId: string, minutes: number, top: string[]): Snapshot => ({
  id, caseId, profileSeq: 1, createdAt: at(minutes), kb: { name: 'kb', version: '1', hash: 'sha256:1' }, scoring: { version: '1', agency: 'FDA' }, top,
  result: {
    id: caseId, tumourType: 'LUAD', kb: { name: 'kb', version: '1', hash: 'sha256:1' }, scoring: { version: '1', agency: 'FDA' }, alterations: [],
    therapies: [], warnings: ['w'],
  },
});
const meeting = (id: string, agenda: string[], date = '2025-03-04'): Meeting => ({ id, date, board: 'Thoracic', attendees: ['AB', 'pathologist'], agenda, createdAt: at(5) });
const decision = (id: string, caseId: string, meetingId: string, minutes = 10): Decision => ({
  id, caseId, meetingId, snapshotId: null, therapy: ['afatinib'], therapyId: 'afatinib', rank: 2, topTherapyId: 'osimertinib', followedTopRank: false,
  class: 'on-label', tier: 'I-A', rationale: 'r', evidenceCited: ['E1'], alternatives: [['osimertinib']], dissent: null, recordedBy: 'local', recordedAt: at(minutes),
});
const followUp = (id: string, caseId: string, decisionId: string, minutes = 20): FollowUp => ({
  id, caseId, decisionId, started: true, reasonNotStarted: null, startedOn: '2025-03-10', bestResponse: 'PR', progressionDate: null, recordedBy: 'local', recordedAt: at(minutes),
});

export function caseStoreContract(name: string, open: () => Promise<CaseStore>, options: { skip?: string } = {}) {
  describe.skipIf(Boolean(options.skip))(`CaseStore contract: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let store: CaseStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a case with its first profile and reads it back', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, ['EGFR:p.L858R', 'TP53:p.R273H']));
      const c = await store.getCase('C1');
      expect(c).toMatchObject({ id: 'C1', tumourType: 'LUAD', status: 'new', createdAt: at(0) });
      expect(c!.profiles).toHaveLength(1);
      expect(c!.profiles[0]).toMatchObject({ seq: 1, sample: 'primary', collectedOn: null, alterationKeys: ['EGFR:p.L858R', 'TP53:p.R273H'] });
      expect(c!.profiles[0]!.profile.alterations).toHaveLength(2);
      expect(await store.getCase('nope')).toBeUndefined();
    });

    it('refuses a second case with the same id', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, []));
      await expect(store.createCase(caseRecord('C1'), profileRecord('C1', 1, []))).rejects.toBeInstanceOf(ConflictError);
    });

    it('appends profiles in sequence only', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, ['A:x']));
      await store.addProfile(profileRecord('C1', 2, ['B:y']));
      await expect(store.addProfile(profileRecord('C1', 4, []))).rejects.toBeInstanceOf(ConflictError);
      await expect(store.addProfile(profileRecord('NOPE', 1, []))).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.getCase('C1'))!.profiles.map((p) => p.seq)).toEqual([1, 2]);
    });

    it('lists cases, filtered by status', async () => {
      await store.createCase(caseRecord('C1', 0), profileRecord('C1', 1, []));
      await store.createCase(caseRecord('C2', 1), profileRecord('C2', 1, []));
      await store.setStatus('C2', { from: 'new', to: 'prepared', at: at(2) });
      expect((await store.listCases()).map((c) => c.id)).toEqual(['C1', 'C2']);
      expect((await store.listCases({ status: ['prepared'] })).map((c) => c.id)).toEqual(['C2']);
    });

    it('summarises cases for the list: latest profile, latest ranking top, newest update first, filtered', async () => {
      await store.createCase(caseRecord('C1', 0), profileRecord('C1', 1, ['EGFR:p.L858R']));
      await store.addProfile(profileRecord('C1', 2, ['KRAS:p.G12D'])); // updated at(2)
      await store.createCase(caseRecord('C2', 1), profileRecord('C2', 1, []));
      await store.addSnapshot(snapshot('S1', 'C2', 1, ['a', 'b', 'c', 'd', 'e', 'f']), { from: 'new', to: 'prepared', at: at(1) });
      await store.addSnapshot(snapshot('S2', 'C2', 2, ['b', 'a']));
      await store.createCase(caseRecord('C3', 5), profileRecord('C3', 1, []));
      const all = await store.listCaseSummaries();
      expect(all.map((c) => c.id)).toEqual(['C3', 'C1', 'C2']);
      expect(all[1]).toEqual({
        ...caseRecord('C1', 0), updatedAt: at(2), alterations: [{ key: 'KRAS:p.G12D', label: 'KRAS:p.G12D', gene: 'KRAS' }], top: [],
      });
      expect(all[2]).toMatchObject({ id: 'C2', status: 'prepared', alterations: [], top: ['b', 'a'] });
      await store.addSnapshot(snapshot('S3', 'C2', 3, ['a', 'b', 'c', 'd', 'e', 'f']));
      expect((await store.listCaseSummaries({ ids: ['C2'] }))[0]!.top).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect((await store.listCaseSummaries({ status: ['prepared'] })).map((c) => c.id)).toEqual(['C2']);
      expect((await store.listCaseSummaries({ ids: ['C1', 'nope'] })).map((c) => c.id)).toEqual(['C1']);
      expect(await store.listCaseSummaries({ ids: [] })).toEqual([]);
      // A profile added after the ranking: the list shows no top until that profile is ranked (the ranking was of
      // other alterations than the list shows).
      await store.addProfile(profileRecord('C2', 2, ['NRAS:p.Q61K']));
      expect((await store.listCaseSummaries({ ids: ['C2'] }))[0]).toMatchObject({ alterations: [{ key: 'NRAS:p.Q61K' }], top: [] });
      expect((await store.pageCaseSummaries({ terms: ['nras'], limit: 10, offset: 0 })).cases.map((c) => [c.id, c.top])).toEqual([['C2', []]]);
      await store.addSnapshot({ ...snapshot('S4', 'C2', 4, ['x', 'y']), profileSeq: 2 });
      expect((await store.listCaseSummaries({ ids: ['C2'] }))[0]!.top).toEqual(['x', 'y']);
    });

    it('searches and pages the summaries as the list filtered in memory would: every term, newest first, with the total', async () => {
      // 12 cases: three tumour types, profiles of EGFR, KRAS and BRAF variants, some with a second profile, a few ranked.
      const genes = ['EGFR:p.L858R', 'KRAS:p.G12D', 'BRAF:p.V600E'];
      for (let i = 0; i < 12; i++) {
        const id = `K-${String(i).padStart(2, '0')}`;
        await store.createCase({ ...caseRecord(id, i), tumourType: ['LUAD', 'COADREAD', null][i % 3]! }, profileRecord(id, 1, [genes[i % 3]!, `TP53:p.R${i}H`]));
        if (i % 4 === 0) await store.addProfile(profileRecord(id, 2, [genes[(i + 1) % 3]!]));
        if (i % 5 === 0) await store.addSnapshot(snapshot(`S-${id}`, id, 30 + i, ['x', 'y']), { from: 'new', to: 'prepared', at: at(40 + i) });
      }
      const queries: CaseSummaryPageQuery[] = [
        { terms: [], limit: 5, offset: 0 },
        { terms: [], limit: 5, offset: 10 },
        { terms: [], limit: 5, offset: 20 },
        { terms: ['kras'], limit: 100, offset: 0 },
        { terms: ['kras', 'coadread'], limit: 2, offset: 1 },
        { terms: ['k-0'], limit: 100, offset: 0 },
        { terms: ['p.r1'], limit: 100, offset: 0 },
        { terms: ['tp53', 'v600e'], limit: 100, offset: 0, status: ['new'] },
        { terms: ['luad'], limit: 100, offset: 0, ids: ['K-00', 'K-03', 'K-04', 'nope'] },
        { terms: ['nothing-like-this'], limit: 100, offset: 0 },
        { terms: [], limit: 100, offset: 0, status: ['prepared'] },
        { terms: [['her2', 'kras']], limit: 100, offset: 0 },
        { terms: [['nope', 'braf'], 'coadread'], limit: 100, offset: 0 },
      ];
      for (const q of queries) {
        const expected = pageInMemory(await store.listCaseSummaries({ status: q.status, ids: q.ids }), q);
        expect(await store.pageCaseSummaries(q), JSON.stringify(q)).toEqual(expected);
      }
      // Computed by hand from the fixture. Updated: K-i at i; a second profile (K-00, K-04, K-08) at its own time, 2;
      // a ranked case's status (K-00, K-05, K-10) at 40 + i. Newest first, ties by id:
      // K-10, K-05, K-00, K-11, K-09, K-07, K-06, K-03, K-02, K-04, K-08, K-01.
      const ids = async (q: Partial<CaseSummaryPageQuery>) => {
        const page = await store.pageCaseSummaries({ terms: [], limit: 100, offset: 0, ...q });
        return { ids: page.cases.map((c) => c.id), total: page.total };
      };
      expect(await ids({ limit: 4 })).toEqual({ ids: ['K-10', 'K-05', 'K-00', 'K-11'], total: 12 });
      expect(await ids({ limit: 4, offset: 10 })).toEqual({ ids: ['K-08', 'K-01'], total: 12 });
      expect(await ids({ offset: 12 })).toEqual({ ids: [], total: 12 });
      // KRAS in the latest profile: first profiles of i % 3 === 1 (K-04's second is BRAF), and K-00's second.
      expect(await ids({ terms: ['kras'] })).toEqual({ ids: ['K-10', 'K-00', 'K-07', 'K-01'], total: 4 });
      // COADREAD is i % 3 === 1; of those only K-04's latest profile holds BRAF.
      expect(await ids({ terms: ['coadread', 'braf'] })).toEqual({ ids: ['K-04'], total: 1 });
      expect(await ids({ terms: ['coadread', 'k-0'] })).toEqual({ ids: ['K-07', 'K-04', 'K-01'], total: 3 });
      expect(await ids({ terms: ['coadread'], status: ['prepared'] })).toEqual({ ids: ['K-10'], total: 1 });
      expect(await ids({ terms: ['luad'], ids: ['K-03', 'K-04', 'nope'] })).toEqual({ ids: ['K-03'], total: 1 });
      // The search reads the latest profile only: K-00's first profile held EGFR, its second KRAS.
      expect((await store.pageCaseSummaries({ terms: ['egfr'], limit: 100, offset: 0 })).cases.map((c) => c.id)).not.toContain('K-00');
      expect((await store.pageCaseSummaries({ terms: ['kras', 'k-00'], limit: 100, offset: 0 })).total).toBe(1);
      // A term of alternatives (a gene alias and its symbol) is found when any of them is.
      expect(await ids({ terms: [['her2', 'kras']] })).toEqual({ ids: ['K-10', 'K-00', 'K-07', 'K-01'], total: 4 });
      expect(await ids({ terms: [['nope', 'braf'], 'coadread'] })).toEqual({ ids: ['K-04'], total: 1 });
    });

    it('sets a status only from the expected one (compare-and-set)', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, []));
      await store.setStatus('C1', { from: 'new', to: 'prepared', at: at(1) });
      await expect(store.setStatus('C1', { from: 'new', to: 'prepared', at: at(2) })).rejects.toBeInstanceOf(ConflictError);
      await expect(store.setStatus('NOPE', { from: 'new', to: 'prepared', at: at(2) })).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.getCase('C1')).toMatchObject({ status: 'prepared', updatedAt: at(1) });
    });

    it('keeps snapshots whole, newest first, and applies a transition with them atomically', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, []));
      await store.addSnapshot(snapshot('S1', 'C1', 1, ['a', 'b']), { from: 'new', to: 'prepared', at: at(1) });
      await store.addSnapshot(snapshot('S2', 'C1', 2, ['b', 'a']));
      expect((await store.listSnapshots('C1')).map((s) => s.id)).toEqual(['S2', 'S1']);
      expect(await store.getSnapshot('S1')).toEqual(snapshot('S1', 'C1', 1, ['a', 'b']));
      // A failing transition writes nothing: the snapshot is not stored either.
      await expect(store.addSnapshot(snapshot('S3', 'C1', 3, []), { from: 'new', to: 'prepared', at: at(3) })).rejects.toBeInstanceOf(ConflictError);
      expect(await store.getSnapshot('S3')).toBeUndefined();
      expect((await store.getCase('C1'))!.status).toBe('prepared');
    });

    it('schedules meetings with an ordered agenda', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, []));
      await store.createCase(caseRecord('C2', 1), profileRecord('C2', 1, []));
      await store.createMeeting(meeting('M1', ['C2']));
      await store.createMeeting(meeting('M0', [], '2025-02-01'));
      await store.addToAgenda('M1', 'C1');
      await store.addToAgenda('M1', 'C1'); // idempotent
      expect(await store.getMeeting('M1')).toEqual(meeting('M1', ['C2', 'C1']));
      expect((await store.listMeetings()).map((m) => m.id)).toEqual(['M1', 'M0']);
      expect(await store.getMeeting('nope')).toBeUndefined();
      await expect(store.addToAgenda('nope', 'C1')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('records decisions and follow-up with their transitions, atomically', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, []));
      await store.setStatus('C1', { from: 'new', to: 'prepared', at: at(1) });
      await store.createMeeting(meeting('M1', ['C1']));
      await expect(store.addDecision(decision('D0', 'C1', 'M1'), { from: 'discussed', to: 'decided', at: at(9) })).rejects.toBeInstanceOf(ConflictError);
      expect(await store.listDecisions({ caseId: 'C1' })).toEqual([]);
      await store.addDecision(decision('D1', 'C1', 'M1'), { from: 'prepared', to: 'decided', at: at(10) });
      expect(await store.listDecisions({ caseId: 'C1' })).toEqual([decision('D1', 'C1', 'M1')]);
      expect(await store.listDecisions({ meetingId: 'M1' })).toHaveLength(1);
      expect(await store.listDecisions({ meetingId: 'other' })).toEqual([]);
      await store.addFollowUp(followUp('F1', 'C1', 'D1'), { from: 'decided', to: 'follow-up', at: at(20) });
      await store.addFollowUp(followUp('F2', 'C1', 'D1', 30));
      expect((await store.listFollowUps({ caseId: 'C1' })).map((f) => f.id)).toEqual(['F1', 'F2']);
      expect(await store.listFollowUps()).toHaveLength(2);
      expect((await store.getCase('C1'))!.status).toBe('follow-up');
    });

    it('refuses a decision for a case that is not on the meeting agenda', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, []));
      await store.createMeeting(meeting('M1', []));
      await expect(store.addDecision(decision('D1', 'C1', 'M1'))).rejects.toThrow();
      expect(await store.listDecisions()).toEqual([]);
    });

    it('finds other cases sharing alteration keys', async () => {
      await store.createCase(caseRecord('C1'), profileRecord('C1', 1, ['EGFR:p.L858R', 'TP53:p.R273H']));
      await store.createCase(caseRecord('C2', 1), profileRecord('C2', 1, ['EGFR:p.L858R']));
      await store.addProfile(profileRecord('C2', 2, ['TP53:p.R273H', 'MET:amp']));
      await store.createCase(caseRecord('C3', 2), profileRecord('C3', 1, ['KRAS:p.G12C']));
      expect(await store.findByAlterations(['EGFR:p.L858R', 'TP53:p.R273H'], 'C1')).toEqual([{ caseId: 'C2', keys: ['EGFR:p.L858R', 'TP53:p.R273H'] }]);
      expect(await store.findByAlterations(['KRAS:p.G12C'])).toEqual([{ caseId: 'C3', keys: ['KRAS:p.G12C'] }]);
      expect(await store.findByAlterations([])).toEqual([]);
    });

    it('reports what it is', () => {
      const info = store.info();
      expect(['sqlite', 'neo4j']).toContain(info.kind);
      expect(info.schemaVersion).toBeGreaterThanOrEqual(1);
    });
  });
}
