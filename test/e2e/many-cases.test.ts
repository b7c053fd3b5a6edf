/**
 * The home page of an installation with more cases than it loads in detail
 * (RECENT_CASES, 300): it shows and searches the most recently updated ones,
 * says how many it leaves out, and still shows an old case that is on a
 * meeting's agenda with its top therapy. Real server, SQLite store and
 * Debian's headless Chromium. Screenshot: test-output/e2e/many-cases-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_CASES } from '../../client/src/Home.tsx';
import { HAVE_CHROMIUM, startHarness, type Harness } from './harness.ts';

const OLD = 'E2E-OLD';
const N = RECENT_CASES + 4;
const id = (i: number) => `E2E-N-${String(i).padStart(3, '0')}`;

let h: Harness;

describe.skipIf(!HAVE_CHROMIUM)('home page with more cases than it loads in detail', () => {
  beforeAll(async () => {
    h = await startHarness('many-cases');
    expect((await h.api('POST', '/api/cases', { id: OLD, tumourType: 'LUAD', profile: { text: 'EGFR L858R' } })).status).toBe(201);
    expect((await h.api('POST', `/api/cases/${OLD}/rank`)).status).toBe(201);
    for (let i = 1; i <= N; i++) {
      expect((await h.api('POST', '/api/cases', { id: id(i), tumourType: 'COADREAD', profile: { text: 'KRAS G12D' } })).status).toBe(201);
    }
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect((await h.api('POST', '/api/meetings', { date: today, board: 'Thoracic MTB', agenda: [OLD] })).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('lists the newest cases, says how many it leaves out, and keeps an old case on the agenda', async () => {
    const page = h.page;
    await page.goto(`${h.server.url}/`);
    const cases = page.getByRole('table', { name: 'Cases' });
    await cases.locator(`tr[data-case="${id(N)}"]`).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('note').filter({ hasText: 'most recently updated' }).innerText()).resolves.toContain(
      `${RECENT_CASES} most recently updated of ${N + 1} cases`,
    );
    // The oldest case not on any agenda is left out; the newest ones are in.
    const shown = await cases.locator('tbody tr[data-case]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));
    expect(shown).toContain(id(N));
    expect(shown).toContain(id(N - RECENT_CASES + 1));
    expect(shown).not.toContain(id(1));
    // The old case on today's agenda is loaded anyway, with its ranking.
    expect(shown).toContain(OLD);
    const agenda = page.getByRole('table', { name: /^Agenda of/ });
    await expect(agenda.locator(`tr[data-case="${OLD}"]`).innerText()).resolves.toContain('osimertinib');
    await h.shot('01-home');
    expect(h.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  }, 60_000);
});
