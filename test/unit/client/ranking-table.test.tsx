/** The ranking table as the board reads it: order, score parts, class badges, tiers, inferred labels, filters, citations. */
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { createEngine } from '../../../server/engine.ts';
import type { RankResult, TherapyClass } from '../../../server/domain/result.ts';
import { filterTherapies, inference, liftOf, RankingTable } from '../../../client/src/RankingTable.tsx';
import { EvidenceTable } from '../../../client/src/EvidenceTable.tsx';
import { NodeDetails } from '../../../client/src/network/EvidenceNetwork.tsx';
import { explainTherapy } from '../../../server/scoring/explain.ts';

const engine = createEngine();
const rank = async (text: string, tumourType: string): Promise<RankResult> => {
  const { profile } = await engine.read({ text }, { tumourType });
  return engine.rank(profile);
};
const rows = (html: string) => [...html.matchAll(/<tr[^>]*data-therapy="([^"]+)"/g)].map((m) => m[1]);

describe('RankingTable', () => {
  it('lists EGFR L858R + T790M lung adenocarcinoma with osimertinib first, on-label, tier I-A, cited', async () => {
    const result = await rank('EGFR L858R; EGFR T790M', 'LUAD');
    const html = renderToStaticMarkup(<RankingTable result={result} selected="osimertinib" onSelect={() => {}} />);
    expect(rows(html)).toEqual(result.therapies.map((t) => t.id));
    const first = html.slice(html.indexOf('data-therapy="osimertinib"'), html.indexOf('</tr>', html.indexOf('data-therapy="osimertinib"')));
    expect(first).toContain('class="badge on-label"');
    expect(first).toContain('I-A');
    expect(first).toContain('EGFR T790M');
    expect(first).toContain('href="https://pubmed.ncbi.nlm.nih.gov/');
    expect(first).toContain('aria-pressed="true"');
    expect(html).toContain('<tr class="selected" data-therapy="osimertinib"');
  });

  it('shows KRAS G12D colorectal cancer with cetuximab not recommended and its negative part', async () => {
    const result = await rank('KRAS G12D', 'COADREAD');
    const html = renderToStaticMarkup(<RankingTable result={result} />);
    const at = html.indexOf('data-therapy="cetuximab"');
    expect(at).toBeGreaterThan(0);
    const row = html.slice(at, html.indexOf('</tr>', at));
    expect(row).toContain('class="badge not-recommended"');
    expect(row).toMatch(/class="num neg">−\d+\.\d</);
  });

  it('labels therapies found only through targets or pathways as inferred', async () => {
    const result = await rank('EGFR L858R', 'LUAD');
    const inferred = result.therapies.find((t) => inference(t) === 'inferred');
    expect(inferred).toBeDefined();
    const html = renderToStaticMarkup(<RankingTable result={result} />);
    const at = html.indexOf(`data-therapy="${inferred!.id}"`);
    expect(html.slice(at, html.indexOf('</tr>', at))).toContain('class="inferred-tag"');
    const curated = result.therapies.find((t) => inference(t) === 'curated')!;
    const c = html.indexOf(`data-therapy="${curated.id}"`);
    expect(html.slice(c, html.indexOf('</tr>', c))).not.toContain('inferred-tag');
  });

  it('filters by class and keeps the rank numbers of the full list', async () => {
    const result = await rank('EGFR L858R; EGFR T790M', 'LUAD');
    const only = new Set<TherapyClass>(['not-recommended']);
    const kept = filterTherapies(result.therapies, only);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((k) => k.therapy.class === 'not-recommended')).toBe(true);
    expect(kept[0]!.rank).toBe(result.therapies.findIndex((t) => t.class === 'not-recommended') + 1);
    const html = renderToStaticMarkup(<RankingTable result={result} classes={only} />);
    expect(rows(html)).toEqual(kept.map((k) => k.therapy.id));
    expect(html).toContain(`<td class="num">${kept[0]!.rank}</td>`);
  });

  it('says so when nothing matched or the filter hides everything', async () => {
    const empty = { ...(await rank('EGFR L858R', 'LUAD')), therapies: [] };
    expect(renderToStaticMarkup(<RankingTable result={empty} />)).toContain('No therapy matched this profile.');
    const result = await rank('EGFR L858R', 'LUAD');
    expect(renderToStaticMarkup(<RankingTable result={result} classes={new Set()} />)).toContain('hidden by the filter');
  });

  it('shows at most `limit` rows', async () => {
    const result = await rank('EGFR L858R; EGFR T790M', 'LUAD');
    expect(rows(renderToStaticMarkup(<RankingTable result={result} limit={3} />))).toHaveLength(3);
  });

  it('tags vemurafenib + cobimetinib in BRAF V600E melanoma as having beaten vemurafenib (coBRIM), and explains the lift', async () => {
    const result = await rank('BRAF V600E', 'MEL');
    const combo = result.therapies.find((t) => t.id === 'cobimetinib + vemurafenib')!;
    expect(liftOf(combo)).toMatchObject({ comparator: 'vemurafenib', evidence: 'BRAF-V600-vemurafenib-cobimetinib-MEL' });
    expect(result.therapies.findIndex((t) => t.id === combo.id)).toBeLessThan(result.therapies.findIndex((t) => t.id === 'vemurafenib'));
    const html = renderToStaticMarkup(<RankingTable result={result} />);
    const at = html.indexOf(`data-therapy="${combo.id}"`);
    expect(html.slice(at, html.indexOf('</tr>', at))).toContain('<span class="comparison-tag"');
    expect(html.slice(at, html.indexOf('</tr>', at))).toContain('beat vemurafenib');
    const v = html.indexOf('data-therapy="vemurafenib"');
    expect(html.slice(v, html.indexOf('</tr>', v))).not.toContain('comparison-tag');

    const evidence = renderToStaticMarkup(<EvidenceTable therapy={combo} result={result} />);
    expect(evidence).toContain('data-evidence="superior-to:vemurafenib"');
    expect(evidence).toContain('randomised: beat vemurafenib');
    expect(evidence).toMatch(/Beat vemurafenib in the randomised trial of BRAF-V600-vemurafenib-cobimetinib-MEL/);

    const node = explainTherapy(result, combo.id).nodes.find((n) => n.id === 'evidence:BRAF-V600-vemurafenib-cobimetinib-MEL')!;
    expect(renderToStaticMarkup(<NodeDetails node={node} pinned={false} />)).toMatch(/Randomised trial: beat vemurafenib; lifts the therapy by \+\d+\.\d/);
  });
});
