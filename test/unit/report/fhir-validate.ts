/**
 * A structural check of a report bundle against the HL7 Genomics Reporting IG
 * (STU3) and FHIR R4: resource types, required elements, profile URLs,
 * LOINC codes, and references that resolve inside the bundle. Returns the
 * problems found (empty when the bundle passes).
 */
const IG = 'http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition';
const LOINC = 'http://loinc.org';
const TBD = 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const OBS_STATUS = ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'];

type R = Record<string, any>;
const codings = (cc: R | undefined): R[] => (cc?.coding ?? []) as R[];
const has = (cc: R | undefined, system: string, code: string) => codings(cc).some((c) => c.system === system && c.code === code);
const components = (o: R, system: string, code: string) => ((o.component ?? []) as R[]).filter((c) => has(c.code, system, code));

/** Every `reference` string anywhere in a resource. */
export function referencesOf(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) x.forEach((y) => referencesOf(y, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesOf(v, out);
    }
  }
  return out;
}

export function validateGenomicsBundle(bundle: R): string[] {
  const problems: string[] = [];
  const fail = (where: string, msg: string) => problems.push(`${where}: ${msg}`);
  if (bundle.resourceType !== 'Bundle') fail('Bundle', 'resourceType is not Bundle');
  if (bundle.type !== 'collection' && bundle.type !== 'document') fail('Bundle', `type ${bundle.type}`);
  if (!INSTANT.test(bundle.timestamp ?? '')) fail('Bundle', 'timestamp is not an instant');
  const entries = (bundle.entry ?? []) as R[];
  const byUrl = new Map<string, R>();
  for (const [i, e] of entries.entries()) {
    const m = /^urn:uuid:(.+)$/.exec(e.fullUrl ?? '');
    if (!m || !UUID.test(m[1]!)) fail(`entry ${i}`, `fullUrl ${e.fullUrl} is not a urn:uuid`);
    else if (e.resource?.id !== m[1]) fail(`entry ${i}`, 'resource.id does not match the fullUrl');
    if (byUrl.has(e.fullUrl)) fail(`entry ${i}`, `duplicate fullUrl ${e.fullUrl}`);
    byUrl.set(e.fullUrl, e.resource);
  }
  for (const e of entries) {
    for (const ref of referencesOf(e.resource)) if (!byUrl.has(ref)) fail(`${e.resource.resourceType} ${e.fullUrl}`, `reference ${ref} does not resolve inside the bundle`);
  }
  const resolve = (ref: R | undefined) => (ref?.reference ? byUrl.get(ref.reference) : undefined);
  const profiles = (r: R) => (r.meta?.profile ?? []) as string[];

  const reports = entries.map((e) => e.resource).filter((r) => r.resourceType === 'DiagnosticReport');
  if (reports.length !== 1) fail('Bundle', `${reports.length} DiagnosticReports (expected 1)`);
  for (const r of reports) {
    const w = 'DiagnosticReport';
    if (!profiles(r).includes(`${IG}/genomics-report`)) fail(w, 'meta.profile lacks genomics-report');
    if (!['registered', 'partial', 'preliminary', 'final', 'amended', 'corrected', 'appended', 'cancelled', 'entered-in-error', 'unknown'].includes(r.status)) fail(w, 'status');
    if (!has(r.code, LOINC, '81247-9')) fail(w, 'code is not LOINC 81247-9');
    if (!((r.category ?? []) as R[]).some((c) => has(c, 'http://terminology.hl7.org/CodeSystem/v2-0074', 'GE'))) fail(w, 'category lacks Genetics (GE)');
    if (r.imagingStudy) fail(w, 'imagingStudy is 0..0 in genomics-report');
    if (resolve(r.subject)?.resourceType !== 'Patient') fail(w, 'subject is not a Patient in the bundle');
    if (r.issued !== undefined && !INSTANT.test(r.issued)) fail(w, 'issued is not an instant');
    if (!Array.isArray(r.result) || r.result.length === 0) fail(w, 'no result');
    for (const ref of (r.result ?? []) as R[]) if (resolve(ref)?.resourceType !== 'Observation') fail(w, `result ${ref.reference} is not an Observation`);
  }

  for (const e of entries) {
    const o = e.resource as R;
    if (o.resourceType !== 'Observation') continue;
    const w = `Observation ${e.fullUrl}`;
    if (!OBS_STATUS.includes(o.status)) fail(w, 'status missing or invalid');
    if (!o.code) fail(w, 'code missing');
    if (!((o.category ?? []) as R[]).some((c) => has(c, 'http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory'))) fail(w, 'category lacks laboratory');
    const p = profiles(o);
    if (p.length === 0 || !p.every((u) => u.startsWith(`${IG}/`))) fail(w, `profile ${p.join(', ')} is not a Genomics Reporting profile`);
    if (o.subject && resolve(o.subject)?.resourceType !== 'Patient') fail(w, 'subject is not a Patient');
    for (const c of (o.component ?? []) as R[]) {
      if (!c.code) fail(w, 'component without code');
      if (!Object.keys(c).some((k) => k.startsWith('value'))) fail(w, 'component without value');
    }
    if (p.includes(`${IG}/variant`)) {
      if (!has(o.code, LOINC, '69548-6')) fail(w, 'variant code is not LOINC 69548-6');
      if (!['LA9633-4', 'LA9634-2', 'LA11884-6', 'LA18198-4'].some((c) => has(o.valueCodeableConcept, LOINC, c))) fail(w, 'variant value is not from LL1971-2');
      if (components(o, LOINC, '48018-6').length === 0) fail(w, 'variant without gene-studied (48018-6)');
    }
    if (p.includes(`${IG}/therapeutic-implication`)) {
      if (!has(o.code, TBD, 'therapeutic-implication')) fail(w, 'code is not tbd-codes-cs#therapeutic-implication');
      if (Object.keys(o).some((k) => /^value[A-Z]/.test(k))) fail(w, 'an implication has no value[x]');
      const from = (o.derivedFrom ?? []) as R[];
      if (from.length === 0) fail(w, 'derivedFrom is 1..*');
      for (const d of from) {
        const t = resolve(d);
        const tp = t ? profiles(t) : [];
        if (!tp.includes(`${IG}/variant`) && !tp.includes(`${IG}/molecular-biomarker`)) fail(w, `derivedFrom ${d.reference} is not a variant or molecular biomarker`);
      }
      if (components(o, LOINC, '93044-6').length === 0) fail(w, 'no evidence-level (93044-6)');
      if (components(o, LOINC, '51963-7').length === 0) fail(w, 'no medication-assessed (51963-7)');
      if (components(o, TBD, 'therapeutic-implication').length === 0) fail(w, 'no therapeutic-implication component');
      for (const x of (o.extension ?? []) as R[]) {
        if (x.url !== 'http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact' || !x.valueRelatedArtifact?.type) fail(w, `extension ${x.url} is not a workflow-relatedArtifact`);
      }
    }
  }
  for (const e of entries) {
    const r = e.resource as R;
    if (r.resourceType === 'Patient' && (r.name || r.birthDate || r.address || r.telecom)) fail('Patient', 'identifying fields in a pseudonymous report');
  }
  return problems;
}
