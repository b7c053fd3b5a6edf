/**
 * The report model and its text renderers on the shipped knowledge base: a
 * LUAD case with several alterations, a signature and a recorded decision.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../server/engine.ts';
import type { Decision, Meeting } from '../../../server/domain/case.ts';
import type { Profile } from '../../../server/domain/profile.ts';
import type { RankResult } from '../../../server/domain/result.ts';
import { buildReportModel, buildFhirBundle, renderCsv, renderFhir, renderHtml, csvField, ReportError, type ReportModel } from '../../../server/report/index.ts';
import { explainProfile } from '../../../server/scoring/explain.ts';
import { computeLayout } from '../../../client/src/network/layout.ts';
import { validateGenomicsBundle } from './fhir-validate.ts';

let engine: Engine;
let profile: Profile;
let result: RankResult;
const date = '2025-03-04T10:15:00.000Z';

const decision = (r: RankResult): Decision => ({
  id: 'd1', caseId: 'MTB-9', meetingId: 'm1', snapshotId: 's1', therapy: ['afatinib'], therapyId: 'afatinib',
  rank: r.therapies.findIndex((t) => t.id === 'afatinib') + 1, topTherapyId: r.therapies[0]!.id, followedTopRank: false,
  class: 'on-label', tier: 'I-A', rationale: 'Osimertinib <not> reimbursed locally; "afatinib" chosen, with care & attention.',
  evidenceCited: ['EGFR-sens-afatinib-LUX-Lung3'], alternatives: [['osimertinib']], dissent: null, recordedBy: 'local', recordedAt: '2025-03-05T09:00:00.000Z',
});
const meeting: Meeting = { id: 'm1', date: '2025-03-05', board: 'Thoracic MTB', attendees: [], agenda: ['MTB-9'], createdAt: date };

function model(extra: Partial<Parameters<typeof buildReportModel>[0]> = {}): ReportModel {
  return buildReportModel({ result, profile, snapshot: { id: 's1', createdAt: date }, caseRecord: { id: 'MTB-9', tumourType: 'LUAD', status: 'decided' }, decision: decision(result), meeting, tumourName: 'Lung Adenocarcinoma', ...extra });
}

beforeAll(() => {
  engine = createEngine();
  profile = engine.parse({
    text: JSON.stringify({ id: 'MTB-9', tumourType: 'LUAD', alterations: [
      { gene: 'EGFR', kind: 'mutation', change: 'L858R', vaf: 0.31, origin: 'somatic' },
      { gene: 'TP53', kind: 'mutation', change: 'R273H' },
      { gene: 'ERBB2', kind: 'amplification' },
      { gene: 'ALK', kind: 'fusion', partner: 'EML4' },
      { kind: 'signature', name: 'TMB', value: 14.2 },
    ] }),
    format: 'json',
  }).profile;
  result = engine.rank(profile);
});

describe('report model', () => {
  it('carries the case, profile with drivers, ranking, decision, versions and the disclaimer', () => {
    const m = model();
    expect(m.caseId).toBe('MTB-9');
    expect(m.tumourType).toEqual({ code: 'LUAD', name: 'Lung Adenocarcinoma' });
    expect(m.date).toBe(date);
    expect(m.alterations.map((a) => a.key)).toContain('EGFR:p.L858R');
    expect(m.alterations.find((a) => a.key === 'EGFR:p.L858R')).toMatchObject({ driver: 'oncogenic', vaf: 0.31, origin: 'somatic' });
    expect(m.therapies[0]!.rank).toBe(1);
    expect(m.therapies.every((t, i) => i === 0 || t.score <= m.therapies[i - 1]!.score)).toBe(true);
    expect(m.decision).toMatchObject({ therapyId: 'afatinib', meeting: { board: 'Thoracic MTB' } });
    expect(m.kb.hash).toMatch(/^sha256:/);
    expect(m.scoring.version).toBe('2');
    expect(m.disclaimer).toMatch(/does not replace/);
    expect(m.therapies.find((t) => t.id === 'afatinib')!.detailed).toBe(true);
  });

  it('never uses the clock: no snapshot and no date is an error', () => {
    expect(() => buildReportModel({ result })).toThrow(ReportError);
  });

  it('draws the network of the top therapies with the client layout, node for node', () => {
    const m = model();
    const explanation = explainProfile(result, { limit: 5 });
    const layout = computeLayout({ nodes: explanation.nodes, links: explanation.links, width: 1000, seed: 1 });
    expect(m.network.nodes).toBe(layout.nodes.length);
    for (const n of layout.nodes) {
      expect(m.network.svg).toContain(`translate(${Math.round(n.x * 10) / 10},${Math.round(n.y * 10) / 10})`);
    }
    expect(m.network.svg).not.toMatch(/<script|href=/);
  });
});

describe('deterministic renderers', () => {
  it('the same case, knowledge base and scoring version give byte-identical HTML, FHIR and CSV', () => {
    const a = model();
    const b = model();
    expect(renderHtml(a)).toBe(renderHtml(b));
    expect(renderFhir(a)).toBe(renderFhir(b));
    expect(renderCsv(a)).toBe(renderCsv(b));
    // A fresh ranking of the same profile too.
    const again = buildReportModel({ ...{ result: engine.rank(profile), profile, snapshot: { id: 's1', createdAt: date }, caseRecord: { id: 'MTB-9', tumourType: 'LUAD', status: 'decided' }, decision: decision(result), meeting, tumourName: 'Lung Adenocarcinoma' } });
    expect(renderHtml(again)).toBe(renderHtml(a));
  });
});

describe('HTML', () => {
  it('is self-contained, print-friendly and escapes what users typed', () => {
    const html = renderHtml(model());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@page');
    expect(html).not.toMatch(/<script|<link |src="http|url\(/i);
    expect(html).toContain('Osimertinib &lt;not&gt; reimbursed locally; &quot;afatinib&quot; chosen, with care &amp; attention.');
    expect(html).toContain('PMID');
    expect(html).toContain('mtbnet-curated');
    expect(html).toContain('does not replace');
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, doubles quotes, guards formulas, ends lines with CRLF', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-20)).toBe('-20');
    expect(csvField(null)).toBe('');
    const csv = renderCsv(model());
    const lines = csv.split('\r\n');
    expect(lines[0]!.startsWith('case_id,tumour_type,rank,therapy')).toBe(true);
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(result.therapies.length + 2);
    expect(csv).not.toMatch(/[^\r]\n/);
    expect(lines.find((l) => l.includes(',afatinib,'))).toContain(',chosen,');
  });
});

describe('FHIR R4 Genomics Reporting bundle', () => {
  it('passes the IG structure check: profiles, required elements, LOINC codes, references inside the bundle', () => {
    const bundle = buildFhirBundle(model()) as Record<string, any>;
    expect(validateGenomicsBundle(bundle)).toEqual([]);
    const resources = (bundle.entry as Array<{ resource: Record<string, any> }>).map((e) => e.resource);
    const byType = (t: string) => resources.filter((r) => r.resourceType === t);
    expect(byType('DiagnosticReport')).toHaveLength(1);
    expect(byType('Patient')).toHaveLength(1);
    const variants = resources.filter((r) => r.meta?.profile?.[0]?.endsWith('/variant'));
    expect(variants).toHaveLength(4); // EGFR, TP53, ERBB2, EML4::ALK; TMB is a molecular biomarker
    const egfr = variants.find((v) => JSON.stringify(v).includes('p.L858R'))!;
    expect(egfr.component.some((c: any) => c.code.coding[0].code === '48005-3' && c.valueCodeableConcept.coding[0].code === 'p.L858R')).toBe(true);
    expect(egfr.component.some((c: any) => c.code.coding[0].code === '81258-6' && c.valueQuantity.value === 0.31)).toBe(true);
    const tmb = resources.find((r) => r.meta?.profile?.[0]?.endsWith('/molecular-biomarker'))!;
    expect(tmb.code.coding[0].code).toBe('94076-7');
    const implications = resources.filter((r) => r.meta?.profile?.[0]?.endsWith('/therapeutic-implication'));
    expect(implications).toHaveLength(result.therapies.length);
    expect(JSON.stringify(implications[0])).toMatch(/PMID \d+/);
    const report = byType('DiagnosticReport')[0]!;
    expect(report.conclusion).toContain('Board decision');
    expect(report.conclusion).toContain('afatinib');
  });

  it('derives every UUID from content: same report, same ids; another case, other ids', () => {
    const a = buildFhirBundle(model()) as any;
    const b = buildFhirBundle(model({ caseRecord: { id: 'MTB-10', tumourType: 'LUAD', status: 'decided' } })) as any;
    expect(a.entry.map((e: any) => e.fullUrl)).toEqual((buildFhirBundle(model()) as any).entry.map((e: any) => e.fullUrl));
    const shared = a.entry.map((e: any) => e.fullUrl).filter((u: string) => b.entry.some((f: any) => f.fullUrl === u));
    expect(shared).toEqual([]);
  });
});

describe('a randomised comparison in the report', () => {
  it('lists the lift of a therapy that beat another as its own evidence row, in HTML, FHIR and CSV', () => {
    const m = model();
    const daco = m.therapies.find((t) => t.id === 'dacomitinib')!;
    const lift = daco.evidence.find((e) => e.superiority)!;
    expect(lift.superiority).toMatchObject({ evidence: 'EGFR-sens-dacomitinib-ARCHER1050', comparator: 'gefitinib' });
    expect(daco.positive).toBe(m.therapies.find((t) => t.id === 'gefitinib')!.positive);
    // Listed in full (statements) within the detailed therapies, by id and contribution in the compact list below them.
    const detailed = buildReportModel({ result, profile, date }, { detailTop: m.therapies.length });
    const html = renderHtml(detailed);
    expect(html).toContain('randomised comparison: beat gefitinib (EGFR-sens-dacomitinib-ARCHER1050)');
    expect(html).toContain('Beat gefitinib in the randomised trial of EGFR-sens-dacomitinib-ARCHER1050');
    const fhir = JSON.stringify(buildFhirBundle(m));
    expect(fhir).toContain('"label":"superior-to:gefitinib"');
    expect(renderHtml(buildReportModel({ result, profile, date }, { detailTop: 0 })).replaceAll('<wbr>', '')).toContain('superior-to:gefitinib');
    expect(renderCsv(m)).toContain('superior-to:gefitinib');
  });
});

describe('the partner drugs of a study (backbone)', () => {
  it('travel with the evidence into the rank result and the HTML report', () => {
    const p = engine.parse({ text: JSON.stringify({ id: 'BC-1', tumourType: 'BRCA', alterations: [{ kind: 'amplification', gene: 'ERBB2' }] }), format: 'json' }).profile;
    const r = engine.rank(p);
    const cleopatra = r.therapies.find((t) => t.id === 'pertuzumab + trastuzumab')!.evidence.find((e) => e.id === 'ERBB2-pertuzumab-trastuzumab-BRCA')!;
    expect(cleopatra.backbone).toEqual([['docetaxel']]);
    expect(r.therapies.flatMap((t) => t.evidence).filter((e) => e.id === 'ERBB2-trastuzumab-emtansine-BRCA').every((e) => e.backbone === undefined)).toBe(true);
    const m = buildReportModel({ result: r, profile: p, date }, { detailTop: 3 });
    expect(renderHtml(m)).toContain('given with docetaxel in the study');
    const fhir = buildFhirBundle(m) as Record<string, any>;
    expect(validateGenomicsBundle(fhir)).toEqual([]);
    const displays = JSON.stringify(fhir).match(/"display":"[^"]*ERBB2-pertuzumab|"label":"ERBB2-pertuzumab-trastuzumab-BRCA","display":"[^"]*"/g) ?? [];
    expect(displays.some((d) => d.includes('(given with docetaxel in the study)'))).toBe(true);
    // The CSV's last column names the item and its partner, on the therapy's row only.
    const rows = renderCsv(m).trimEnd().split('\r\n');
    expect(rows[0]!.endsWith(',date,study_partner_drugs,on_label_by_label')).toBe(true);
    const row = rows.find((x) => x.split(',')[3] === 'pertuzumab + trastuzumab')!;
    expect(row.endsWith(',ERBB2-pertuzumab-trastuzumab-BRCA: docetaxel,')).toBe(true);
    expect(rows.find((x) => x.split(',')[3] === 'trastuzumab emtansine')!.endsWith(',,')).toBe(true);
  });
});

describe('promoter methylation in the report', () => {
  it('is a molecular-biomarker status in FHIR (methylated or not), never a variant marked present', () => {
    const glioma = (value: string) => {
      const p = engine.parse({ text: JSON.stringify({ id: 'GB-1', tumourType: 'GB', alterations: [{ kind: 'methylation', gene: 'MGMT', value }] }), format: 'json' }).profile;
      const r = engine.rank(p);
      const m = buildReportModel({ result: r, profile: p, date }, {});
      const bundle = buildFhirBundle(m) as Record<string, any>;
      expect(validateGenomicsBundle(bundle)).toEqual([]);
      const resources = (bundle.entry as Array<{ resource: Record<string, any> }>).map((e) => e.resource);
      return { r, resources, html: renderHtml(m) };
    };
    const methylated = glioma('methylated');
    expect(methylated.r.therapies[0]).toMatchObject({ id: 'temozolomide' });
    expect(methylated.resources.filter((x) => x.meta?.profile?.[0]?.endsWith('/variant'))).toEqual([]);
    const status = methylated.resources.find((x) => x.meta?.profile?.[0]?.endsWith('/molecular-biomarker'))!;
    expect(status.code.text).toBe('MGMT promoter methylation status');
    expect(status.valueCodeableConcept.text).toBe('MGMT promoter methylated');
    expect(status.component[0].valueCodeableConcept.text).toBe('MGMT');
    expect(methylated.html).toContain('MGMT promoter methylated');
    const unmethylated = glioma('unmethylated');
    expect(unmethylated.r.therapies).toEqual([]);
    // a negative status result is said to match nothing, not to be of unknown significance
    expect(unmethylated.r.warnings.join(' ')).toMatch(/MGMT promoter unmethylated \(MGMT:unmethylated\) matched no biomarker in the knowledge base\.$/);
    expect(unmethylated.resources.find((x) => x.meta?.profile?.[0]?.endsWith('/molecular-biomarker'))!.valueCodeableConcept.text).toBe('MGMT promoter unmethylated');
    // the driver annotation of a status result is a status, never "oncogenic" or "unknown significance (VUS)"
    expect(methylated.html).toContain('<td class="driver status">predictive status</td>');
    expect(unmethylated.html).toContain('<td class="driver status">status result</td>');
    expect(unmethylated.html).not.toContain('unknown significance (VUS)</td>');
  });

  it('says when a label without a biomarker is what makes a therapy on-label (temozolomide in glioblastoma)', () => {
    const p = engine.parse({ text: JSON.stringify({ id: 'GB-2', tumourType: 'GB', alterations: [{ kind: 'methylation', gene: 'MGMT', value: 'methylated' }] }), format: 'json' }).profile;
    const m = buildReportModel({ result: engine.rank(p), profile: p, date, tumourName: 'Glioblastoma' }, {});
    const html = renderHtml(m);
    expect(html).toContain('<p class="label-basis">On-label: the FDA label of temozolomide names Glioblastoma (GB) without asking for a biomarker; check the label&#39;s setting, line and partner drugs.</p>');
    // Once for each therapy on-label by its label, in the ranking table and in the evidence
    const byLabel = m.therapies.filter((t) => t.labelled).length;
    expect(byLabel).toBeGreaterThan(0);
    expect(html.split('by label</span>').length - 1).toBe(byLabel);
    // A label of a type above the profile's is named by the knowledge base's names (carmustine: astrocytoma, for grade 3).
    const astr3 = engine.parse({ text: JSON.stringify({ id: 'A-3', tumourType: 'ASTR3', alterations: [{ kind: 'methylation', gene: 'MGMT', value: 'methylated' }] }), format: 'json' }).profile;
    const named = buildReportModel({ result: engine.rank(astr3), profile: astr3, date, tumourNames: (code) => (code === 'ASTR' ? 'Astrocytoma' : null) }, {});
    expect(named.therapies.find((t) => t.id === 'carmustine')!.labelText).toBe(
      "On-label: the FDA label of carmustine names Astrocytoma (ASTR) without asking for a biomarker; check the label's setting, line and partner drugs.",
    );
    // The CSV's last column: the labels, on the rows of the therapies they make on-label only.
    const csv = renderCsv(m).trimEnd().split('\r\n');
    expect(csv.find((x) => x.split(',')[3] === 'temozolomide')!.endsWith(',temozolomide: FDA GB')).toBe(true);
    expect(csv.filter((x) => !x.endsWith(',')).length).toBe(1 + byLabel);
    const bundle = buildFhirBundle(m) as Record<string, any>;
    const strings = JSON.stringify(bundle);
    expect(strings).toContain('On-label: the FDA label of temozolomide names Glioblastoma (GB) without asking for a biomarker; check the label\'s setting, line and partner drugs.');
  });
});
