/**
 * The board client end to end, in Debian's headless Chromium against the real
 * server and a temp SQLite store: paste a profile and see the expected top
 * therapy; its network draws exactly explainTherapy; switching an alteration
 * off re-ranks; reader and server errors keep the input; presenter mode moves
 * between cases by keyboard; a decision recorded there is found after reload;
 * a rationale holding a date of birth shows the privacy warning naming the field.
 * Screenshots of every step: test-output/e2e/board-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { explainTherapy } from '../../server/scoring/explain.ts';
import { RECENT_CASES } from '../../client/src/Home.tsx';
import type { RankResult } from '../../server/domain/result.ts';
import { HAVE_CHROMIUM, CHROMIUM, startHarness, type Harness } from './harness.ts';
import { bgzf } from '../helpers/bgzf.ts';

if (!HAVE_CHROMIUM) console.warn(`e2e: skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set MTBNET_CHROMIUM)`);

const LUNG = 'E2E-LUNG-1';
const CRC = 'E2E-CRC-2';
const MEL = 'E2E-MEL-3';
const PROFILE = 'EGFR L858R\nEGFR T790M';

let h: Harness;
let page: Page;
let meetingId: string;

/** The therapy ids of the ranking table, in order. */
const rankedIds = (p: Page) => p.locator('table.ranking tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-therapy')));

describe.skipIf(!HAVE_CHROMIUM)('board client in headless Chromium', () => {
  beforeAll(async () => {
    h = await startHarness('board');
    page = h.page;
    // Three cases on today's agenda, ranked (prepared), through the API.
    for (const [id, tumourType, text] of [
      [LUNG, 'LUAD', 'EGFR L858R; EGFR T790M'],
      [CRC, 'COADREAD', 'KRAS G12D; PIK3CA H1047R'],
      [MEL, 'MEL', 'BRAF V600E; CDKN2A deletion'],
    ] as const) {
      expect((await h.api('POST', '/api/cases', { id, tumourType, profile: { text } })).status).toBe(201);
      expect((await h.api('POST', `/api/cases/${id}/rank`)).status).toBe(201);
    }
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const m = await h.api<{ id: string }>('POST', '/api/meetings', { date: today, board: 'Thoracic and GI MTB', attendees: ['pathologist', 'AB'], agenda: [LUNG, CRC, MEL] });
    expect(m.status).toBe(201);
    meetingId = m.body.id;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('shows today\'s meeting with its agenda, and finds cases by gene', async () => {
    await page.goto(`${h.server.url}/`);
    await page.getByRole('heading', { name: "Today's meeting" }).waitFor();
    const agenda = page.getByRole('table', { name: /^Agenda of/ });
    await expect(agenda.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')))).resolves.toEqual([LUNG, CRC, MEL]);
    await expect(agenda.locator(`tr[data-case="${LUNG}"]`).innerText()).resolves.toContain('osimertinib');
    await h.shot('01-agenda');
    await page.getByLabel('Search by case ID, gene or tumour type').fill('kras');
    const cases = page.getByRole('table', { name: 'Cases' });
    await expect.poll(() => cases.locator('tbody tr[data-case]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')))).toEqual([CRC]);
    await page.getByLabel('Search by case ID, gene or tumour type').fill('mel');
    await expect.poll(() => cases.locator('tbody tr[data-case]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')))).toEqual([MEL]);
    await h.shot('02-search');
  });

  it('reads a pasted profile line by line, ranks it, and puts osimertinib on top', async () => {
    await page.goto(`${h.server.url}/#/intake`);
    await page.getByLabel(/^Molecular profile/).fill(PROFILE);
    await page.getByLabel('Tumour type (OncoTree)').fill('LUAD');
    await page.getByRole('button', { name: 'Check profile' }).click();
    const lines = page.getByRole('table', { name: 'Input lines' });
    await expect(lines.locator('tr[data-line="2"]').innerText()).resolves.toMatch(/EGFR T790M\s+oncogenic/);
    await page.getByRole('button', { name: 'Rank therapies' }).click();
    await page.locator('table.ranking tbody tr').first().waitFor();
    const ids = await rankedIds(page);
    expect(ids[0]).toBe('osimertinib');
    await expect(page.locator('table.ranking tbody tr').first().locator('.badge').innerText()).resolves.toBe('on-label');
    await h.shot('03-intake-ranked');
  });

  it('draws exactly the explanation network of the selected therapy, with statements and PMIDs on hover and focus', async () => {
    const expected = await h.api<RankResult>('POST', '/api/rank', { text: PROFILE, tumourType: 'LUAD' });
    const explanation = explainTherapy(expected.body, 'osimertinib');
    await page.locator('tr[data-therapy="osimertinib"] .therapy-button').click();
    const svg = page.getByRole('group', { name: /^Evidence network of osimertinib/ });
    await svg.waitFor();
    const nodes = await svg.locator('[data-id]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-type')}|${e.getAttribute('data-id')}`));
    expect(nodes.sort()).toEqual(explanation.nodes.map((n) => `${n.type}|${n.id}`).sort());
    const links = await svg.locator('line[data-source]').evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-source')}>${e.getAttribute('data-target')}:${Number(e.getAttribute('data-contribution')).toFixed(2)}`),
    );
    expect(links.sort()).toEqual(explanation.links.map((l) => `${l.source}>${l.target}:${l.contribution.toFixed(2)}`).sort());

    // Hover an evidence node: its statement and PubMed link appear beside the drawing.
    const ev = explanation.nodes.find((n) => n.type === 'evidence' && n.sources?.some((s) => s.pmid))!;
    await svg.locator(`[data-id="${ev.id}"] path`).hover();
    const details = page.getByRole('complementary', { name: 'Selected node' });
    await expect(details.innerText()).resolves.toContain(ev.statement!.slice(0, 40));
    const pmid = ev.sources!.find((s) => s.pmid)!.pmid!;
    await expect(details.getByRole('link', { name: `PMID ${pmid}` }).getAttribute('href')).resolves.toBe(`https://pubmed.ncbi.nlm.nih.gov/${pmid}/`);
    await h.shot('04-network-hover');

    // Keyboard: focus the drawing and move; the panel follows the focused node.
    await page.mouse.move(0, 0);
    await svg.locator('[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    expect(focused).toMatch(/^(evidence|drug):/);
    const label = explanation.nodes.find((n) => n.id === focused)!.label;
    await expect(details.locator('h4').innerText()).resolves.toBe(label);
    await h.shot('05-network-keyboard');
  });

  it('re-ranks at once when an alteration is switched off', async () => {
    const before = await page.locator('tr[data-therapy="osimertinib"] td.score').innerText();
    await page.getByRole('checkbox', { name: /EGFR T790M/ }).uncheck();
    await page.locator('.whatif-banner').waitFor();
    await expect.poll(() => page.locator('tr[data-therapy="osimertinib"] td.score').innerText()).not.toBe(before);
    const after = await h.api<RankResult>('POST', '/api/rank', { text: 'EGFR L858R', tumourType: 'LUAD' });
    await expect.poll(() => rankedIds(page)).toEqual(after.body.therapies.slice(0, 15).map((t) => t.id));
    await expect(page.locator('.whatif-banner').innerText()).resolves.toMatch(/1 alteration off/);
    await h.shot('06-whatif-off');
    // Another tumour type: the ranking follows.
    await page.getByLabel('Tumour type (what-if)').selectOption('COADREAD');
    const crc = await h.api<RankResult>('POST', '/api/rank', { text: 'EGFR L858R', tumourType: 'COADREAD' });
    await expect.poll(() => rankedIds(page)).toEqual(crc.body.therapies.slice(0, 15).map((t) => t.id));
    await h.shot('07-whatif-tumour');
  });

  it('tells the uploader which sample name became which ID, folded, and the name is nowhere else on the page', async () => {
    const name = 'PATIENT_DOE_1961';
    const maf = `Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tMissense_Mutation\t${name}\tp.V600E\n`;
    await page.goto(`${h.server.url}/#/intake`);
    await page.getByLabel('Profile file').setInputFiles({ name: 'panel.maf', mimeType: 'text/plain', buffer: Buffer.from(maf) });
    await page.getByLabel('Tumour type (OncoTree)').fill('MEL');
    await page.getByRole('button', { name: 'Check profile' }).click();
    const note = page.locator('details.sample-ids');
    await expect(note.locator('summary').innerText()).resolves.toMatch(/1 sample name in the input is not stored/);
    // Folded: the link is not shown until the uploader opens it.
    await expect(page.getByRole('table', { name: 'Sample IDs' }).isVisible()).resolves.toBe(false);
    await note.locator('summary').click();
    const row = page.getByRole('table', { name: 'Sample IDs' }).locator('tbody tr');
    await expect(row.innerText()).resolves.toMatch(new RegExp(`^${name}\\s+S-[0-9a-f]{12} \\(pseudonym\\)$`));
    await h.shot('03b-intake-sample-ids');
    // Ranked, the page shows the pseudonym's ranking and never the name outside the note.
    await page.getByRole('button', { name: 'Rank therapies' }).click();
    await page.locator('table.ranking tbody tr').first().waitFor();
    const outside = await page.evaluate(() => {
      const clone = document.body.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('details.sample-ids, textarea').forEach((e) => e.remove());
      return clone.innerText;
    });
    expect(outside).not.toContain(name);
    await page.goto(`${h.server.url}/#/`); // leave the intake, so the next visit starts empty
  });

  it('shows the reader\'s error beside the bad line, and keeps the input when the server fails', async () => {
    await page.goto(`${h.server.url}/#/intake`);
    const text = 'EGFR L858R\nblah blah\nKRAS G12C';
    await page.getByLabel(/^Molecular profile/).fill(text);
    await page.getByRole('button', { name: 'Check profile' }).click();
    const bad = page.locator('table[aria-label="Input lines"] tr[data-line="2"]');
    await expect(bad.getAttribute('class')).resolves.toBe('bad');
    await expect(bad.innerText()).resolves.toContain('"blah" is not a protein change');
    await expect(page.locator('tr[data-line="3"]').innerText()).resolves.toMatch(/KRAS G12C\s+oncogenic/);
    await h.shot('08-reader-error');

    await page.getByLabel(/^Molecular profile/).fill(PROFILE);
    await page.route('**/api/rank**', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'api: internal error; the server log has details', details: [] } }) }));
    await page.getByRole('button', { name: 'Rank therapies' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'internal error' }).innerText()).resolves.toContain('Ranking failed');
    await expect(page.getByLabel(/^Molecular profile/).inputValue()).resolves.toBe(PROFILE);
    await h.shot('09-server-error');
    await page.unroute('**/api/rank**');
    expect(h.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('presents one case at a time and moves between cases and therapies by keyboard', async () => {
    await page.goto(`${h.server.url}/#/present/${meetingId}`);
    const heading = page.locator('h1#presented-case');
    await expect.poll(() => heading.getAttribute('data-case')).toBe(LUNG);
    await expect(page.locator('.therapy-list li.current').getAttribute('data-therapy')).resolves.toBe('osimertinib');
    await h.shot('10-presenter-case1');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => heading.getAttribute('data-case')).toBe(CRC);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => heading.getAttribute('data-case')).toBe(MEL);
    await expect(page.locator('.presenter-bar .position').innerText()).resolves.toBe('Case 3 of 3');
    await h.shot('11-presenter-case3');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => heading.getAttribute('data-case')).toBe(LUNG);
    // The case's ranking is loaded before the therapy keys are used (slow when the machine is busy).
    await expect.poll(() => page.locator('.therapy-list li.current').getAttribute('data-therapy'), { timeout: 30_000 }).toBe('osimertinib');
    const snapshot = (await h.api<{ snapshots: Array<{ top: string[] }> }>('GET', `/api/cases/${LUNG}`)).body.snapshots[0]!;
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.therapy-list li.current').getAttribute('data-therapy')).toBe(snapshot.top[1]);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.therapy-list li.current').getAttribute('data-therapy')).toBe('osimertinib');
    await page.keyboard.press('n');
    await page.getByRole('group', { name: /^Evidence network of osimertinib/ }).waitFor();
    await h.shot('12-presenter-network');
    await page.keyboard.press('n');
    await expect(page.locator('.presenter-evidence').count()).resolves.toBe(1);
  });

  it('records a decision in a few keystrokes and finds it after a reload', async () => {
    // Opened and closed with nothing typed, the form follows the therapy on screen.
    await page.keyboard.press('d');
    await page.getByLabel('Rationale').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Rationale').count()).toBe(0);
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('.therapy-list li.current').getAttribute('data-therapy');
    await page.keyboard.press('d');
    await expect.poll(() => page.locator('#d-therapy').inputValue()).toBe(second);
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.therapy-list li.current').getAttribute('data-therapy')).toBe('osimertinib');
    await page.keyboard.press('d');
    await expect.poll(() => page.locator('#d-therapy').inputValue()).toBe('osimertinib');
    const rationale = page.getByLabel('Rationale');
    await expect.poll(() => rationale.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('T790M after first-line EGFR TKI; AURA3.');
    // Esc closes the form; D brings back what was typed (a draft, kept until saved).
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Rationale').count()).toBe(0);
    await page.keyboard.press('d');
    await expect.poll(() => page.getByLabel('Rationale').inputValue()).toBe('T790M after first-line EGFR TKI; AURA3.');
    await page.getByLabel('Dissent (optional)').fill('AB prefers a rebiopsy first.');
    // The evidence cited starts as the therapy's supporting evidence; an alternative is picked from the ranking.
    const cited = await page.locator('fieldset.d-cited input[type="checkbox"]:checked').count();
    expect(cited).toBeGreaterThan(0);
    const alternative = await page.locator('#d-alternatives option').first().getAttribute('value');
    await page.locator('#d-alternatives').selectOption([alternative!]);
    await h.shot('13-decision-form');
    await page.keyboard.press('Control+Enter');
    await page.locator('.presenter-decision .decision-therapy').waitFor();
    await page.reload();
    await expect.poll(() => page.locator('h1#presented-case').getAttribute('data-case')).toBe(LUNG);
    await expect(page.locator('.presenter-decision').innerText()).resolves.toContain('AURA3');
    await expect(page.locator('.presenter-decision .decision-therapy').innerText()).resolves.toBe('osimertinib');
    await h.shot('14-decision-after-reload');

    // The case page shows it too, with the follow-up form; the status is decided.
    await page.goto(`${h.server.url}/#/cases/${LUNG}`);
    await page.getByRole('heading', { name: `Case ${LUNG}` }).waitFor();
    await expect(page.locator('.case-head .status').innerText()).resolves.toBe('decided');
    await expect(page.locator('.decisions').innerText()).resolves.toContain('AB prefers a rebiopsy first.');
    await page.getByRole('form', { name: 'Record follow-up' }).waitFor();
    await h.shot('15-case-decided');
    const stored = await h.api<{ decisions: Array<{ therapyId: string; followedTopRank: boolean; evidenceCited: string[]; alternatives: string[][] }> }>('GET', `/api/cases/${LUNG}`);
    expect(stored.body.decisions).toMatchObject([{ therapyId: 'osimertinib', followedTopRank: true }]);
    expect(stored.body.decisions[0]!.evidenceCited.length).toBe(cited);
    expect(stored.body.decisions[0]!.alternatives.map((a) => a.join(' + '))).toEqual([alternative]);
    expect(h.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('warns, naming the field, when a decision rationale holds a date of birth; a clean one saves without a warning', async () => {
    const save = async (caseId: string, rationale: string) => {
      await page.goto(`${h.server.url}/#/cases/${caseId}`);
      await page.getByRole('heading', { name: `Case ${caseId}` }).waitFor();
      await page.getByLabel('Rationale').fill(rationale);
      await page.getByRole('button', { name: 'Save decision' }).click();
      // Saved: the case is decided and the follow-up form replaces the decision form.
      await page.getByRole('form', { name: 'Record follow-up' }).waitFor();
    };
    await save(MEL, 'BRAF V600E: dabrafenib with trametinib, per COMBI-d.');
    await expect(page.getByRole('alert', { name: 'Privacy warning' }).count()).resolves.toBe(0);

    await save(CRC, 'Patient born 14.03.1961; KRAS G12D makes anti-EGFR antibodies useless.');
    const warning = page.getByRole('alert', { name: 'Privacy warning' });
    await expect(warning.innerText()).resolves.toMatch(/Decision saved, but it may identify the patient/);
    const items = await warning.locator('li').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-field')}: ${e.textContent}`));
    expect(items).toContain('rationale: rationale looks like a date of birth');
    // The warning names the field and the kind of pattern, never the text; the decision is stored as written.
    await expect(warning.innerText()).resolves.not.toContain('1961');
    await expect(page.locator('.decisions').innerText()).resolves.toContain('KRAS G12D makes anti-EGFR');
    await h.shot('16-privacy-warning');
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByRole('alert', { name: 'Privacy warning' }).count()).resolves.toBe(0);
    expect(h.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  // Last, in this file rather than its own: it adds RECENT_CASES + 5 cases, which every later home page would list,
  // and the burst of case creations must not run beside the keyboard tests above.
  it('with more cases than a page, lists the newest, says how many it leaves out, finds older ones by search, and keeps the agenda\'s', async () => {
    const filler = (i: number) => `E2E-N-${String(i).padStart(3, '0')}`;
    const n = RECENT_CASES + 5;
    for (let i = 1; i <= n; i++) {
      expect((await h.api('POST', '/api/cases', { id: filler(i), tumourType: 'COADREAD', profile: { text: 'KRAS G12D' } })).status).toBe(201);
    }
    const total = (await h.api<{ total: number }>('GET', '/api/case-summaries?limit=1')).body.total;
    // A few requests for the list and the agenda (the page may render twice while the app loads), none per case.
    const summaries: string[] = [];
    const perCase: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === '/api/case-summaries') summaries.push(r.url());
      else if (/^\/api\/cases\/[^/]+$/.test(path)) perCase.push(path);
    });
    await page.goto(`${h.server.url}/#/`);
    const cases = page.getByRole('table', { name: 'Cases' });
    await cases.locator(`tr[data-case="${filler(n)}"]`).waitFor({ timeout: 60_000 });
    await expect(page.getByRole('note').filter({ hasText: 'most recently updated' }).innerText()).resolves.toContain(
      `${RECENT_CASES} most recently updated of ${total} cases`,
    );
    const rows = () => cases.locator('tbody tr[data-case]').evaluateAll((trs) => trs.map((r) => r.getAttribute('data-case')));
    const shown = await rows();
    expect(shown).toHaveLength(RECENT_CASES);
    expect(shown[0]).toBe(filler(n));
    expect(shown).not.toContain(filler(1)); // older than the newest page
    expect(perCase).toEqual([]);
    expect(summaries.length, summaries.join('\n')).toBeLessThanOrEqual(4);
    // Today's agenda cases are older than every filler, and the agenda still shows them with their ranking.
    const agenda = page.getByRole('table', { name: /^Agenda of/ });
    await expect(agenda.locator(`tr[data-case="${LUNG}"]`).innerText()).resolves.toContain('osimertinib');
    // The search runs on the server over every case, not only the page shown.
    await page.getByLabel('Search by case ID, gene or tumour type').fill(filler(1));
    await expect.poll(rows).toEqual([filler(1)]);
    await page.getByLabel('Search by case ID, gene or tumour type').fill('braf');
    await expect.poll(rows).toEqual([MEL]);
    await h.shot('17-many-cases');
    expect(h.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  }, 180_000);

  /** Paste a profile on the intake page, rank it, and wait for the ranking. */
  async function rankOnIntake(profile: string, tumourType: string): Promise<void> {
    await page.goto(`${h.server.url}/#/intake`);
    await page.getByLabel(/^Molecular profile/).fill(profile);
    await page.getByLabel('Tumour type (OncoTree)').fill(tumourType);
    await page.getByRole('button', { name: 'Rank therapies' }).click();
    await page.locator('table.ranking tbody tr').first().waitFor();
  }

  it("shows the partner drugs a study gave a therapy with beside that study's evidence", async () => {
    await rankOnIntake('ERBB2 amplification', 'BRCA');
    await page.locator('tr[data-therapy="pertuzumab + trastuzumab"] .therapy-button').click();
    const table = page.getByRole('table', { name: 'Evidence for pertuzumab + trastuzumab' });
    await expect(table.locator('tr[data-evidence="ERBB2-pertuzumab-trastuzumab-BRCA"] .backbone').innerText()).resolves.toBe('given with docetaxel in the study');
    // an item whose study named the whole regimen shows no partner
    await expect(table.locator('tr[data-evidence="ERBB2-pertuzumab-trastuzumab-BRCA-early"] .backbone').count()).resolves.toBe(0);
  });

  it('says which label makes a therapy on-label when no approval among its evidence does (temozolomide in glioblastoma)', async () => {
    await rankOnIntake('MGMT promoter methylated\nEGFR amplification', 'GB');
    const row = page.locator('tr[data-therapy="temozolomide"]');
    await expect(row.locator('.badge').getAttribute('title')).resolves.toBe('On-label: the FDA label of temozolomide names GB without asking for a biomarker; check the label\'s setting, line and partner drugs.');
    await expect(row.innerText()).resolves.toMatch(/on-label\s+by label/);
    // an off-label therapy names no label
    await expect(page.locator('tr[data-therapy="cetuximab"] .badge').getAttribute('title')).resolves.toBeNull();
    await row.locator('.therapy-button').click();
    await expect.poll(() => page.getByTestId('label-basis').innerText()).toBe('On-label: the FDA label of temozolomide names Glioblastoma, IDH-Wildtype (GB) without asking for a biomarker; check the label\'s setting, line and partner drugs.');
    await page.locator('tr[data-therapy="cetuximab"] .therapy-button').click();
    await expect.poll(() => page.getByTestId('label-basis').count()).toBe(0);
    // The presenter says it too, on the board's shared screen.
    expect((await h.api('POST', '/api/cases', { id: 'E2E-GB-1', tumourType: 'GB', profile: { text: 'MGMT promoter methylated' } })).status).toBe(201);
    expect((await h.api('POST', '/api/cases/E2E-GB-1/rank')).status).toBe(201);
    const m = await h.api<{ id: string }>('POST', '/api/meetings', { date: '2026-11-30', board: 'Neuro-oncology MTB', attendees: ['AB'], agenda: ['E2E-GB-1'] });
    await page.goto(`${h.server.url}/#/present/${m.body.id}`);
    await expect.poll(() => page.locator('.therapy-list li.current').getAttribute('data-therapy'), { timeout: 30_000 }).toBe('temozolomide');
    await expect(page.locator('.why .label-basis').innerText()).resolves.toBe('On-label: the FDA label of temozolomide names GB without asking for a biomarker; check the label\'s setting, line and partner drugs.');
  });

  it('reads a status result (MSI-H, MGMT unmethylated) as a status, never "oncogenic" or "unknown significance"', async () => {
    await page.goto(`${h.server.url}/#/intake`);
    await page.getByLabel(/^Molecular profile/).fill('MSI-H\nMGMT promoter unmethylated');
    await page.getByLabel('Tumour type (OncoTree)').fill('GB');
    await page.getByRole('button', { name: 'Check profile' }).click();
    const lines = page.getByRole('table', { name: 'Input lines' });
    await expect.poll(() => lines.locator('tr[data-line="1"]').innerText()).toMatch(/MSI-H\s+predictive status/);
    await expect(lines.locator('tr[data-line="2"]').innerText()).resolves.toMatch(/MGMT promoter unmethylated\s+status result/);
  });

  it('starts with an empty profile, reads a bgzipped file (gzip members one after another), and leaves nothing of a damaged one to save', async () => {
    await page.goto(`${h.server.url}/#/`); // leave the intake, so that the visit below starts it anew
    await page.goto(`${h.server.url}/#/intake`);
    const profile = page.getByLabel(/^Molecular profile/);
    const open = page.getByRole('button', { name: 'Open case and rank' });
    await page.getByLabel(/^Case ID/).fill('E2E-BGZF-1');
    // Nothing written in for the board: an example would be stored as the case's profile if left in place.
    await expect(profile.inputValue()).resolves.toBe('');
    await expect(open.isDisabled()).resolves.toBe(true);
    const maf = 'Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tMissense_Mutation\tS1\tp.V600E\nKRAS\tMissense_Mutation\tS1\tp.G12D\n';
    const bytes = bgzf(maf, 40);
    await page.getByLabel('Profile file').setInputFiles({ name: 'panel.maf.gz', mimeType: 'application/gzip', buffer: bytes });
    await expect.poll(() => profile.inputValue()).toBe(maf);
    await expect(open.isDisabled()).resolves.toBe(false);
    // Cut short: an error saying what to do, and neither the text before nor the example left to be saved.
    await page.getByLabel('Profile file').setInputFiles({ name: 'cut.maf.gz', mimeType: 'application/gzip', buffer: bytes.subarray(0, 70) });
    await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/cut\.maf\.gz could not be unpacked .*unpack it first/);
    await expect(profile.inputValue()).resolves.toBe('');
    await expect(open.isDisabled()).resolves.toBe(true);
  });

  it('asks which sample of a tumour/normal VCF to read, reads that one, and opens the case with it', async () => {
    await page.goto(`${h.server.url}/#/`);
    await page.goto(`${h.server.url}/#/intake`);
    const { readFileSync } = await import('node:fs');
    const vcf = readFileSync(new URL('../fixtures/profile/vep-csq.vcf', import.meta.url), 'utf8').replace('TUMOUR1\tTUMOUR2\tNORMAL', 'P7_T\tP7_MET\tP7_N');
    await page.getByLabel(/^Case ID/).fill('E2E-TN-1');
    await page.getByLabel('Tumour type (OncoTree)').fill('MEL');
    await page.getByLabel('Profile file').setInputFiles({ name: 'tumour-normal.vcf', mimeType: 'text/plain', buffer: Buffer.from(vcf) });
    const pick = page.getByLabel(/^Sample to read \(3 in this VCF/);
    // P7_T names itself the tumour, alone: it is chosen; the other two are offered.
    await expect.poll(() => pick.inputValue()).toBe('P7_T');
    await expect(pick.locator('option').allInnerTexts()).resolves.toEqual(['Choose the tumour sample…', 'P7_T', 'P7_MET', 'P7_N']);
    await page.getByRole('button', { name: 'Check profile' }).click();
    await expect.poll(() => page.locator('.preview').innerText()).toMatch(/BRAF V600E/);
    // The other tumour sample: its own variants, not P7_T's.
    await pick.selectOption('P7_MET');
    await page.getByRole('button', { name: 'Check profile' }).click();
    await expect.poll(() => page.locator('.preview').innerText()).toMatch(/EGFR/);
    await expect(page.locator('.preview').innerText()).resolves.not.toMatch(/BRAF V600E/);
    await page.getByRole('button', { name: 'Open case and rank' }).click();
    await page.waitForURL(/#\/cases\/E2E-TN-1/);
    const stored = await h.api<{ case: { profiles: Array<{ alterationKeys: string[] }> } }>('GET', '/api/cases/E2E-TN-1');
    expect(stored.body.case.profiles[0]!.alterationKeys).not.toContain('BRAF:p.V600E');
    expect(stored.body.case.profiles[0]!.alterationKeys.some((k) => k.startsWith('EGFR:'))).toBe(true);
  });

  it('adds a pasted tumour/normal VCF to a case as the sample chosen on the case page', async () => {
    const id = 'E2E-TN-2';
    expect((await h.api('POST', '/api/cases', { id, tumourType: 'MEL', profile: { text: 'NRAS Q61K' } })).status).toBe(201);
    const { readFileSync } = await import('node:fs');
    const vcf = readFileSync(new URL('../fixtures/profile/vep-csq.vcf', import.meta.url), 'utf8').replace('TUMOUR1\tTUMOUR2\tNORMAL', 'RELAPSE_TUMOR\tOTHER\tBLOOD_NORMAL');
    await page.goto(`${h.server.url}/#/cases/${id}`);
    await page.getByText('Add a profile (a new sample or a corrected report)').click();
    await page.getByLabel(/^Profile 2:/).fill(vcf);
    const pick = page.getByLabel(/^Sample to read \(3 in this VCF/);
    await expect.poll(() => pick.inputValue()).toBe('RELAPSE_TUMOR');
    await page.getByRole('button', { name: 'Add profile 2' }).click();
    await expect.poll(async () => (await h.api<{ case: { profiles: unknown[] } }>('GET', `/api/cases/${id}`)).body.case.profiles.length).toBe(2);
    const stored = await h.api<{ case: { profiles: Array<{ alterationKeys: string[] }> } }>('GET', `/api/cases/${id}`);
    // RELAPSE_TUMOR is the fixture's first tumour sample: BRAF V600E, not the other's EGFR deletion.
    expect(stored.body.case.profiles[1]!.alterationKeys).toContain('BRAF:p.V600E');
    expect(stored.body.case.profiles[1]!.alterationKeys.some((k) => k.startsWith('EGFR:'))).toBe(false);
  });

  it('asks which tumour sample of a MAF to read, guessing none, and opens the case with the one chosen', async () => {
    await page.goto(`${h.server.url}/#/`);
    await page.goto(`${h.server.url}/#/intake`);
    const maf = [
      '#version 2.4',
      'Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tMatched_Norm_Sample_Barcode\tHGVSp_Short',
      'BRAF\tMissense_Mutation\tP8_T\tP8_N\tp.V600E',
      'EGFR\tMissense_Mutation\tP8_MET\tP8_N\tp.L858R',
      'TP53\tMissense_Mutation\tP8_T\tP8_N\tp.R273H',
      '',
    ].join('\n');
    await page.getByLabel(/^Case ID/).fill('E2E-MAF-1');
    await page.getByLabel('Tumour type (OncoTree)').fill('NSCLC');
    await page.getByLabel('Profile file').setInputFiles({ name: 'two-samples.maf', mimeType: 'text/plain', buffer: Buffer.from(maf) });
    const pick = page.getByLabel(/^Sample to read \(2 in this MAF/);
    // Both barcodes are tumour samples: the page does not guess (P8_T is not preferred), it asks.
    await expect.poll(() => pick.locator('option').allInnerTexts()).toEqual(['Choose the tumour sample…', 'P8_T', 'P8_MET']);
    await expect(pick.inputValue()).resolves.toBe('');
    // Unchosen, the server asks for one (naming the samples by pseudonym only: names are not echoed).
    await page.getByRole('button', { name: 'Check profile' }).click();
    await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/several profiles[\s\S]*choose one sample/);
    await pick.selectOption('P8_MET');
    await page.getByRole('button', { name: 'Check profile' }).click();
    await expect.poll(() => page.locator('.preview').innerText()).toMatch(/EGFR L858R/);
    await expect(page.locator('.preview').innerText()).resolves.not.toMatch(/BRAF/);
    await page.getByRole('button', { name: 'Open case and rank' }).click();
    await page.waitForURL(/#\/cases\/E2E-MAF-1/);
    const stored = await h.api<{ case: { profiles: Array<{ alterationKeys: string[] }> } }>('GET', '/api/cases/E2E-MAF-1');
    expect(stored.body.case.profiles[0]!.alterationKeys).toEqual(['EGFR:p.L858R']);
  });

  it("reads the sample chosen of a copy-number matrix (cBioPortal's data_CNA.txt), listing its sample columns", async () => {
    await page.goto(`${h.server.url}/#/intake`);
    const cna = ['Hugo_Symbol\tEntrez_Gene_Id\tP-1\tP-2\tP-3', 'ERBB2\t2064\t2\t0\t0', 'MET\t4233\t0\t2\t-2', 'CDKN2A\t1029\t-2\t0\t0', ''].join('\n');
    await page.getByLabel(/^Case ID/).fill('E2E-CNA-1');
    await page.getByLabel('Tumour type (OncoTree)').fill('NSCLC');
    await page.getByLabel('Profile file').setInputFiles({ name: 'data_CNA.txt', mimeType: 'text/plain', buffer: Buffer.from(cna) });
    const pick = page.getByLabel(/^Sample to read \(3 in this copy-number matrix/);
    await expect.poll(() => pick.locator('option').allInnerTexts()).toEqual(['Choose the tumour sample…', 'P-1', 'P-2', 'P-3']);
    await pick.selectOption('P-2');
    await page.getByRole('button', { name: 'Check profile' }).click();
    await expect.poll(() => page.locator('.preview').innerText()).toMatch(/MET amplification/);
    await expect(page.locator('.preview').innerText()).resolves.not.toMatch(/ERBB2|CDKN2A/);
    await page.getByRole('button', { name: 'Open case and rank' }).click();
    await page.waitForURL(/#\/cases\/E2E-CNA-1/);
    const stored = await h.api<{ case: { profiles: Array<{ alterationKeys: string[] }> } }>('GET', '/api/cases/E2E-CNA-1');
    expect(stored.body.case.profiles[0]!.alterationKeys).toEqual(['MET:amp']);
  });

  it("adds one sample of a cohort's MAF to a case by typing its barcode", async () => {
    const id = 'E2E-MAF-2';
    expect((await h.api('POST', '/api/cases', { id, tumourType: 'COADREAD', profile: { text: 'KRAS G12D' } })).status).toBe(201);
    const rows = Array.from({ length: 250 }, (_, i) => `KRAS\tMissense_Mutation\tC${i}\tp.G12${i % 2 ? 'D' : 'V'}`);
    rows.push('BRAF\tMissense_Mutation\tC7\tp.V600E');
    const maf = ['Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short', ...rows, ''].join('\n');
    await page.goto(`${h.server.url}/#/cases/${id}`);
    await page.getByText('Add a profile (a new sample or a corrected report)').click();
    await page.getByLabel(/^Profile 2:/).fill(maf);
    // 250 barcodes (C7 has two rows): a field to type one in (with suggestions), and where a whole cohort is ranked.
    const pick = page.getByLabel(/^Sample to read \(250 in this MAF/);
    await expect(pick.evaluate((e) => e.tagName)).resolves.toBe('INPUT');
    await expect.poll(() => page.locator('.read-sample').innerText()).toMatch(/mtbnet batch/);
    // A barcode the file does not hold is said to be one.
    await pick.pressSequentially('ZZ9');
    await expect.poll(() => page.locator('.read-sample .hint').innerText()).toMatch(/^No sample of this file has that barcode/);
    await pick.fill('');
    // Typed as a person types, key by key: "C" is no barcode yet, and the field keeps it.
    await pick.pressSequentially('C7');
    await expect(pick.inputValue()).resolves.toBe('C7');
    await expect(page.locator('.read-sample .hint').innerText()).resolves.not.toMatch(/No sample/);
    await page.getByRole('button', { name: 'Add profile 2' }).click();
    await expect.poll(async () => (await h.api<{ case: { profiles: unknown[] } }>('GET', `/api/cases/${id}`)).body.case.profiles.length).toBe(2);
    const stored = await h.api<{ case: { profiles: Array<{ alterationKeys: string[] }> } }>('GET', `/api/cases/${id}`);
    expect(stored.body.case.profiles[1]!.alterationKeys.sort()).toEqual(['BRAF:p.V600E', 'KRAS:p.G12D']);
  });

  it('adds a relapse profile to a ranked case: the page and the presenter say the stored ranking is of the old one, and no decision is taken on it', async () => {
    const id = 'E2E-RELAPSE-1';
    expect((await h.api('POST', '/api/cases', { id, tumourType: 'MEL', profile: { text: 'BRAF V600E' } })).status).toBe(201);
    expect((await h.api('POST', `/api/cases/${id}/rank`)).status).toBe(201);
    const m = await h.api<{ id: string }>('POST', '/api/meetings', { date: '2025-06-03', board: 'Melanoma MTB', agenda: [id] });
    await page.goto(`${h.server.url}/#/cases/${id}`);
    await page.getByText('Add a profile (a new sample or a corrected report)').click();
    await page.getByLabel(/^Profile 2:/).fill('BRAF V600E\nNRAS Q61K');
    await page.getByLabel(/^Sample label/).fill('relapse biopsy');
    await page.getByRole('button', { name: 'Add profile 2' }).click();
    const banner = page.getByTestId('outdated-ranking');
    await expect.poll(() => banner.innerText()).toMatch(/Profile 2 was added after the stored ranking \(of profile 1\)/);
    // The ranking on screen is the new profile's (live), with the NRAS mutation; no decision can be recorded yet.
    await expect.poll(() => page.locator('section[aria-label="Ranking"]').innerText()).toMatch(/NRAS Q61K/);
    await expect(page.getByText('Rank the newest profile and save before recording the decision.').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Rationale').count()).resolves.toBe(0);
    // The presenter does not show the old ranking as the case's.
    await page.goto(`${h.server.url}/#/present/${m.body.id}?case=${id}`);
    await expect.poll(() => page.locator('.presenter-main').innerText()).toMatch(/Profile 2 was added after the stored ranking: rank it/);
    await expect(page.locator('.therapy-list li').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Rank now' }).click();
    await expect.poll(() => page.locator('.therapy-list li').count()).toBeGreaterThan(0);
    await expect(page.getByRole('list', { name: 'Alterations' }).innerText()).resolves.toMatch(/NRAS Q61K/);
    // Ranked: the case page no longer warns.
    await page.goto(`${h.server.url}/#/cases/${id}`);
    await page.locator('section[aria-label="Ranking"] table.ranking tbody tr').first().waitFor();
    await expect(page.getByTestId('outdated-ranking').count()).resolves.toBe(0);
  });

  it('opens the case ranked with the agency the board chose on the intake page', async () => {
    await rankOnIntake('EGFR L858R', 'LUAD');
    await page.getByRole('radio', { name: 'EMA' }).check();
    await expect.poll(() => page.locator('.ranking-section').innerText()).toMatch(/EMA approvals/);
    await page.getByLabel(/^Case ID/).fill('E2E-EMA-1');
    await page.getByRole('button', { name: 'Open case and rank' }).click();
    await page.waitForURL(/#\/cases\/E2E-EMA-1/);
    const stored = await h.api<{ snapshots: Array<{ scoring: { agency: string } }> }>('GET', '/api/cases/E2E-EMA-1');
    expect(stored.body.snapshots.map((x) => x.scoring.agency)).toEqual(['EMA']);
  });
});
