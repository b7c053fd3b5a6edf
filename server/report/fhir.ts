/**
 * The report as FHIR R4 following the HL7 Genomics Reporting IG (STU3,
 * http://hl7.org/fhir/uv/genomics-reporting): a `collection` Bundle holding a
 * genomics-report DiagnosticReport (LOINC 81247-9), one variant Observation
 * (LOINC 69548-6, components gene 48018-6, amino-acid change 48005-3, ...) per
 * alteration, molecular-biomarker Observations for signatures (TMB 94076-7,
 * MSI 81695-9), and one therapeutic-implication Observation per ranked therapy
 * with its evidence levels, medications, tumour context, statements and
 * citations (workflow-relatedArtifact), `derivedFrom` the alterations it rests on.
 *
 * Every reference resolves inside the bundle: fullUrls are `urn:uuid:` UUIDs
 * derived from content (case, ranking date, knowledge-base hash, item), so the
 * same report is the same JSON, byte for byte. The subject is a Patient that
 * carries only the pseudonymous case id.
 */
import { createHash } from 'node:crypto';
import type { ReportAlteration, ReportModel, ReportTherapy } from './model.ts';
import { driverText, isStatusResult } from '../domain/driver-text.ts';
import { citation } from './model.ts';
import { backboneText } from '../domain/regimen.ts';

export const IG = 'http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition';
export const PROFILES = {
  report: `${IG}/genomics-report`,
  variant: `${IG}/variant`,
  biomarker: `${IG}/molecular-biomarker`,
  implication: `${IG}/therapeutic-implication`,
} as const;
export const LOINC = 'http://loinc.org';
export const TBD = 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const SO = 'http://www.sequenceontology.org';
const HGVS = 'http://varnomen.hgvs.org';
const UCUM = 'http://unitsofmeasure.org';
const RELATED_ARTIFACT = 'http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact';
/** mtbnet's own identifiers and codes (pseudonymous case ids, tiers, scores). */
export const MTBNET = {
  caseId: 'urn:mtbnet:case-id',
  report: 'urn:mtbnet:report',
  tier: 'urn:mtbnet:escat-tier',
  oncokb: 'urn:mtbnet:oncokb-level',
  therapyClass: 'urn:mtbnet:therapy-class',
  scoring: 'urn:mtbnet:scoring',
  oncotree: 'http://oncotree.info',
} as const;

type Json = Record<string, unknown>;
type CodeableConcept = { coding?: Array<{ system: string; code: string; display?: string }>; text?: string };

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1): the same name, the same UUID. */
export function contentUuid(name: string): string {
  const b = createHash('sha1').update(`mtbnet-report\u0000${name}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const cc = (system: string, code: string, display?: string, text?: string): CodeableConcept => ({
  coding: [{ system, code, ...(display ? { display } : {}) }],
  ...(text ? { text } : {}),
});
const loinc = (code: string, display: string) => cc(LOINC, code, display);
const labCategory = [cc(OBS_CATEGORY, 'laboratory', 'Laboratory'), cc(V2_0074, 'GE', 'Genetics')];

/** FHIR `instant` needs a time and zone; a bare date is taken as midnight UTC. */
export function instantOf(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
}

const PRESENT = loinc('LA9633-4', 'Present');
const SOMATIC = loinc('LA6684-0', 'Somatic');
const GERMLINE = loinc('LA6683-2', 'Germline');

function geneComponents(a: ReportAlteration): Json[] {
  const genes = a.kind === 'fusion' && a.partner ? [a.partner, a.gene] : [a.gene];
  // The HGNC system codes genes by HGNC ID ("HGNC:3236"); the knowledge base holds symbols, so the symbol is the text.
  return genes.map((g) => ({ code: loinc('48018-6', 'Gene studied [ID]'), valueCodeableConcept: { text: g } }));
}

function variantObservation(a: ReportAlteration, subject: Json, effective: string): Json {
  const components: Json[] = [...geneComponents(a)];
  if (a.change) components.push({ code: loinc('48005-3', 'Amino acid change (pHGVS)'), valueCodeableConcept: cc(HGVS, a.change, undefined, `${a.gene} ${a.change}`) });
  if (a.transcript) components.push({ code: loinc('51958-7', 'Transcript reference sequence [ID]'), valueCodeableConcept: { text: a.transcript } });
  if (a.kind === 'amplification') components.push({ code: loinc('48019-4', 'DNA change type'), valueCodeableConcept: cc(SO, 'SO:0001742', 'copy_number_gain') });
  if (a.kind === 'deletion') components.push({ code: loinc('48019-4', 'DNA change type'), valueCodeableConcept: cc(SO, 'SO:0001743', 'copy_number_loss') });
  if (a.kind === 'fusion') components.push({ code: cc(TBD, 'molecular-consequence', 'Molecular consequence'), valueCodeableConcept: cc(SO, 'SO:0001565', 'gene_fusion') });
  if (a.origin) components.push({ code: loinc('48002-0', 'Genomic source class [Type]'), valueCodeableConcept: a.origin === 'germline' ? GERMLINE : SOMATIC });
  if (a.vaf !== undefined) components.push({ code: loinc('81258-6', 'Sample variant allelic frequency [NFr]'), valueQuantity: { value: a.vaf, system: UCUM, code: '1' } });
  components.push({ code: cc(TBD, 'conclusion-string', 'Conclusion string'), valueString: `${a.label}; driver annotation: ${driverText(a)}` });
  return {
    resourceType: 'Observation',
    meta: { profile: [PROFILES.variant] },
    status: 'final',
    category: labCategory,
    code: loinc('69548-6', 'Genetic variant assessment'),
    subject,
    effectiveDateTime: effective,
    valueCodeableConcept: PRESENT,
    component: components,
  };
}

const MSI_VALUE: Record<string, CodeableConcept> = {
  high: loinc('LA26203-2', 'MSI-H'),
  'msi-h': loinc('LA26203-2', 'MSI-H'),
  low: loinc('LA26202-4', 'MSI-L'),
  stable: loinc('LA14122-8', 'Stable'),
  mss: loinc('LA14122-8', 'Stable'),
};

function biomarkerObservation(a: ReportAlteration, subject: Json, effective: string): Json {
  const base = {
    resourceType: 'Observation',
    meta: { profile: [PROFILES.biomarker] },
    status: 'final',
    category: labCategory,
    subject,
    effectiveDateTime: effective,
  };
  if (a.gene === 'TMB' && typeof a.value === 'number') {
    return { ...base, code: loinc('94076-7', 'Mutations/Megabase [# Ratio] in Tumor'), valueQuantity: { value: a.value, unit: 'mutations/Mb', system: UCUM, code: '1/1000000{Base}' } };
  }
  // Promoter methylation is a status (methylated or not), not a variant that is present.
  if (a.kind === 'methylation') {
    return { ...base, code: { text: `${a.gene} promoter methylation status` }, valueCodeableConcept: { text: a.label }, component: geneComponents(a) };
  }
  // So is an expression result (HER2-low, PSMA-positive): the level found, with the gene studied.
  if (a.kind === 'expression') {
    return { ...base, code: { text: `${a.gene} expression` }, valueCodeableConcept: { text: a.label }, component: geneComponents(a) };
  }
  if (a.gene === 'MSI') {
    const v = String(a.value ?? '').toLowerCase();
    return { ...base, code: loinc('81695-9', 'Microsatellite instability [Interpretation] in Cancer specimen Qualitative'), valueCodeableConcept: { ...(MSI_VALUE[v] ?? {}), text: a.label } };
  }
  return { ...base, code: { text: a.gene }, valueCodeableConcept: { text: a.label } };
}

/** Responsive for supported therapies, resistant for not-recommended ones (LOINC LL539-8 answers). */
function implicationValue(t: ReportTherapy): CodeableConcept {
  if (t.class === 'not-recommended') return loinc('LA6676-6', 'Resistant');
  if (t.score <= 0) return loinc('LA9660-7', 'Presumed resistant');
  if (/^(I|II)-/.test(t.tier)) return loinc('LA6677-4', 'Responsive');
  return loinc('LA9661-5', 'Presumed responsive');
}

const num = (x: number) => Math.round(x * 100) / 100 + 0;

function implicationObservation(
  t: ReportTherapy, m: ReportModel, subject: Json, device: Json, effective: string, derivedFrom: Json[],
): Json {
  const artifacts: Json[] = [];
  for (const e of t.evidence) {
    artifacts.push({
      url: RELATED_ARTIFACT,
      valueRelatedArtifact: {
        type: 'justification',
        label: e.id,
        display: e.superiority
          ? `randomised comparison: beat ${e.superiority.comparator} (${e.superiority.evidence}), ranking lift ${num(e.contribution)}: ${e.statement}`
          : `${e.level}, ${e.direction}, contribution ${num(e.contribution)} (${e.biomarker}; ${e.tumour}): ${e.statement}${e.backbone ? ` (${backboneText(e.backbone)})` : ''}`,
      },
    });
    if (e.superiority) continue; // its citations are the trial item's, listed with that item
    for (const s of e.sources) {
      const c = citation(s as Record<string, string>);
      artifacts.push({ url: RELATED_ARTIFACT, valueRelatedArtifact: { type: 'citation', label: e.id, citation: c.text, ...(c.url ? { url: c.url } : {}) } });
    }
  }
  const components: Json[] = [
    { code: cc(TBD, 'therapeutic-implication', 'Therapeutic Implication'), valueCodeableConcept: implicationValue(t) },
    { code: loinc('93044-6', 'Level of evidence'), valueCodeableConcept: cc(MTBNET.tier, t.tier, `ESCAT-like tier ${t.tier}`, `ESCAT-like tier ${t.tier}`) },
    ...(t.oncokb ? [{ code: loinc('93044-6', 'Level of evidence'), valueCodeableConcept: cc(MTBNET.oncokb, t.oncokb, `OncoKB-like level ${t.oncokb}`, `OncoKB-like level ${t.oncokb}`) }] : []),
    ...t.drugs.map((d) => ({ code: loinc('51963-7', 'Medication assessed [ID]'), valueCodeableConcept: { text: d } })),
    ...(m.tumourType.code
      ? [{ code: loinc('81259-4', 'Associated phenotype'), valueCodeableConcept: cc(MTBNET.oncotree, m.tumourType.code, m.tumourType.name ?? undefined, m.tumourType.name ?? m.tumourType.code) }]
      : []),
    { code: cc(MTBNET.therapyClass, 'class', 'Therapy class'), valueCodeableConcept: cc(MTBNET.therapyClass, t.class, t.class) },
    { code: cc(MTBNET.scoring, 'rank', 'Rank in the ranking'), valueInteger: t.rank },
    { code: cc(MTBNET.scoring, 'score', 'Score'), valueQuantity: { value: num(t.score) } },
    { code: cc(MTBNET.scoring, 'positive', 'Evidence for'), valueQuantity: { value: num(t.positive) } },
    { code: cc(MTBNET.scoring, 'negative', 'Evidence against'), valueQuantity: { value: num(t.negative) } },
    {
      code: cc(TBD, 'conclusion-string', 'Conclusion string'),
      valueString: `Rank ${t.rank}: ${t.label}, ${t.class}, tier ${t.tier}, score ${num(t.score)} (for ${num(t.positive)}, against ${num(t.negative)}) from ${t.alterations.join(', ')}${t.labelText ? `. ${t.labelText}` : ''}`,
    },
  ];
  return {
    resourceType: 'Observation',
    meta: { profile: [PROFILES.implication] },
    extension: artifacts,
    status: 'final',
    category: labCategory,
    code: cc(TBD, 'therapeutic-implication', 'Therapeutic Implication'),
    subject,
    effectiveDateTime: effective,
    device,
    derivedFrom,
    component: components,
  };
}

function conclusion(m: ReportModel): string {
  const top = m.therapies[0];
  const parts = [
    top
      ? `Top-ranked therapy: ${top.label} (${top.class}, tier ${top.tier}, score ${num(top.score)}) of ${m.therapies.length} ranked for ${m.alterations.length} alterations.`
      : `No therapy is supported by the knowledge base for the ${m.alterations.length} alterations.`,
  ];
  if (m.decision) {
    const d = m.decision;
    parts.push(`Board decision${d.meeting ? ` (${d.meeting.board}, ${d.meeting.date})` : ''}: ${d.label}${d.rank ? `, rank ${d.rank}` : ''}. Rationale: ${d.rationale}${d.dissent ? ` Dissent: ${d.dissent}` : ''}`);
  }
  parts.push(`Knowledge base ${m.kb.name} ${m.kb.version} (${m.kb.hash}); scoring version ${m.scoring.version} (${m.scoring.agency}).`);
  parts.push(m.disclaimer);
  return parts.join(' ');
}

/** The FHIR Bundle as a plain object. */
export function buildFhirBundle(m: ReportModel): Json {
  const scope = `${m.caseId}\u0000${m.date}\u0000${m.kb.hash}\u0000${m.scoring.version}\u0000${m.scoring.agency}\u0000${m.snapshotId ?? ''}`;
  const url = (kind: string, key = '') => `urn:uuid:${contentUuid(`${scope}\u0000${kind}\u0000${key}`)}`;
  const entries: Array<{ fullUrl: string; resource: Json }> = [];
  const add = (fullUrl: string, resource: Json) => {
    entries.push({ fullUrl, resource: { resourceType: resource.resourceType, id: fullUrl.slice('urn:uuid:'.length), ...resource } });
    return { reference: fullUrl };
  };

  const patientUrl = `urn:uuid:${contentUuid(`patient\u0000${m.caseId}`)}`;
  const deviceUrl = url('device');
  const reportUrl = url('report');
  const effective = m.date;

  const subject = { reference: patientUrl, display: `case ${m.caseId}` };
  const device = { reference: deviceUrl, display: `${m.generator.name} ${m.generator.version}` };

  const observations: Array<{ fullUrl: string; resource: Json }> = [];
  const byKey = new Map<string, string>();
  for (const a of m.alterations) {
    const fullUrl = url('alteration', a.key);
    byKey.set(a.key, fullUrl);
    observations.push({ fullUrl, resource: isStatusResult(a) ? biomarkerObservation(a, subject, effective) : variantObservation(a, subject, effective) });
  }
  const implications = m.therapies.map((t) => {
    const derivedFrom = t.alterations.flatMap((k) => (byKey.has(k) ? [{ reference: byKey.get(k)!, display: k }] : []));
    return { fullUrl: url('implication', t.id), resource: implicationObservation(t, m, subject, device, effective, derivedFrom) };
  });

  add(reportUrl, {
    resourceType: 'DiagnosticReport',
    meta: { profile: [PROFILES.report] },
    identifier: [{ system: MTBNET.report, value: `${m.caseId}/${m.snapshotId ?? m.date}` }],
    status: 'final',
    category: [cc(V2_0074, 'GE', 'Genetics')],
    code: loinc('81247-9', 'Master HL7 genetic variant reporting panel'),
    subject,
    effectiveDateTime: effective,
    issued: instantOf(m.date),
    result: [...observations, ...implications].map((o) => ({ reference: o.fullUrl })),
    conclusion: conclusion(m),
  });
  add(patientUrl, { resourceType: 'Patient', identifier: [{ system: MTBNET.caseId, value: m.caseId }] });
  add(deviceUrl, {
    resourceType: 'Device',
    deviceName: [{ name: m.generator.name, type: 'manufacturer-name' }],
    version: [
      { type: { text: 'software' }, value: m.generator.version },
      { type: { text: 'knowledge base' }, value: `${m.kb.name} ${m.kb.version} ${m.kb.hash}` },
      { type: { text: 'scoring' }, value: `${m.scoring.version} (${m.scoring.agency})` },
    ],
  });
  for (const o of [...observations, ...implications]) add(o.fullUrl, o.resource);

  return {
    resourceType: 'Bundle',
    id: contentUuid(`${scope}\u0000bundle`),
    identifier: { system: MTBNET.report, value: `${m.caseId}/${m.snapshotId ?? m.date}/bundle` },
    type: 'collection',
    timestamp: instantOf(m.date),
    entry: entries,
  };
}

/** The bundle as JSON text (two-space indentation, trailing newline). */
export function renderFhir(m: ReportModel): string {
  return `${JSON.stringify(buildFhirBundle(m), null, 2)}\n`;
}
