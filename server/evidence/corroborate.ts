/**
 * Citation corroboration (DESIGN §7): is each PMID the curated evidence cites
 * also cited by an independent open release for the same gene? CIViC evidence
 * (gene and fusion partners of the variant) and CGI biomarkers (gene and the
 * alteration's genes) are read from the open-data folder. Signature evidence
 * (MSI-H, TMB, HRD) has no gene: the PMID cited anywhere in CIViC or CGI counts.
 * Imported items are left out: corroborating CIViC with CIViC proves nothing.
 */
import { existsSync } from 'node:fs';
import { positiveAtoms, atomGene, type Criteria } from '../domain/criteria.ts';
import type { EvidenceNode } from '../domain/knowledge.ts';
import { civicFiles, readCivicEvidence } from '../opendata/civic.ts';
import { readCgiBiomarkers } from '../opendata/cgi.ts';
import { CGI_FILE, CIVIC_2021 } from '../opendata/paths.ts';
import { mapCgiAlteration, mapCivicRecord } from '../opendata/variants.ts';
import type { EvidenceGraph } from './build.ts';

export interface CitationIndex {
  /** PMID -> genes it is cited for, per release. */
  civic: Map<string, Set<string>>;
  cgi: Map<string, Set<string>>;
  files: string[];
}

const SIGNATURES = new Set(['MSI', 'MMR', 'TMB', 'HRD']);

function add(index: Map<string, Set<string>>, pmid: string, genes: Iterable<string>) {
  let s = index.get(pmid);
  if (!s) index.set(pmid, (s = new Set()));
  for (const g of genes) if (g) s.add(g.toUpperCase());
}

/** Read the citation index from an open-data folder; undefined when neither release is there. */
export function readCitationIndex(dataDir: string): CitationIndex | undefined {
  const civicDir = CIVIC_2021(dataDir);
  const cgiFile = CGI_FILE(dataDir);
  if (!existsSync(civicDir) && !existsSync(cgiFile)) return undefined;
  const index: CitationIndex = { civic: new Map(), cgi: new Map(), files: [] };
  if (existsSync(civicDir)) {
    const { evidence } = civicFiles(civicDir);
    if (evidence) {
      index.files.push(evidence);
      for (const r of readCivicEvidence(evidence)) {
        if (r.sourceType !== 'PubMed' || !r.citationId) continue;
        const m = mapCivicRecord(r);
        add(index.civic, r.citationId, [...(r.gene ? [r.gene] : []), ...(m.ok ? m.genes : []), ...r.profile.split(/[\s:-]+/).filter((t) => /^[A-Z][A-Z0-9]+$/.test(t))]);
      }
    }
  }
  if (existsSync(cgiFile)) {
    index.files.push(cgiFile);
    for (const r of readCgiBiomarkers(cgiFile)) {
      const m = mapCgiAlteration(r.alteration, r.alterationType, '');
      const genes = [...r.gene.split(/[;,]/), ...(m.ok ? m.genes : []), ...r.alteration.split(/[:;_]+/).filter((t) => /^[A-Z][A-Z0-9]+$/.test(t))];
      for (const p of r.pmids) add(index.cgi, p, genes);
    }
  }
  return index;
}

export interface PmidCorroboration {
  pmid: string;
  items: string[];
  genes: string[];
  /** Where it was found, or why not. */
  foundIn: Array<'civic' | 'cgi'>;
  note?: string;
}

export interface CorroborationReport {
  total: number;
  corroborated: number;
  share: number;
  bySource: { civic: number; cgi: number; both: number };
  notFound: PmidCorroboration[];
}

function genesOf(c: Criteria): string[] {
  const out = new Set<string>();
  for (const a of positiveAtoms(c)) {
    out.add(atomGene(a));
    if (a.type === 'fusion' && a.partner) out.add(a.partner);
  }
  return [...out];
}

/** Cross-check every PMID of the curated evidence. */
export function corroborate(graph: EvidenceGraph, index: CitationIndex, aliases: (g: string) => string[] = (g) => [g]): CorroborationReport {
  const byPmid = new Map<string, { items: string[]; genes: Set<string> }>();
  graph.forEachNode((key, a) => {
    if (a.type !== 'evidence' || a.origin !== 'curated') return;
    const e = a as EvidenceNode;
    const genes = new Set<string>();
    graph.forEachOutEdge(key, (_e, attrs, _s, target) => {
      if (attrs.type !== 'FOR_BIOMARKER') return;
      const b = graph.getNodeAttributes(target);
      if (b.type === 'biomarker') for (const g of genesOf(b.criteria)) genes.add(g);
    });
    for (const s of e.sources) {
      if (!('pmid' in s)) continue;
      let entry = byPmid.get(s.pmid);
      if (!entry) byPmid.set(s.pmid, (entry = { items: [], genes: new Set() }));
      entry.items.push(e.id);
      for (const g of genes) entry.genes.add(g);
    }
  });
  const notFound: PmidCorroboration[] = [];
  const bySource = { civic: 0, cgi: 0, both: 0 };
  let corroborated = 0;
  for (const [pmid, { items, genes }] of [...byPmid].sort((x, y) => Number(x[0]) - Number(y[0]))) {
    const wanted = new Set([...genes].flatMap((g) => aliases(g)).map((g) => g.toUpperCase()));
    const signatureOnly = [...genes].every((g) => SIGNATURES.has(g));
    const hit = (m: Map<string, Set<string>>) => {
      const cited = m.get(pmid);
      if (!cited) return false;
      if (signatureOnly) return true;
      for (const g of wanted) if (cited.has(g)) return true;
      return false;
    };
    const foundIn: Array<'civic' | 'cgi'> = [];
    if (hit(index.civic)) foundIn.push('civic');
    if (hit(index.cgi)) foundIn.push('cgi');
    if (foundIn.length > 0) {
      corroborated++;
      if (foundIn.length === 2) bySource.both++;
      else bySource[foundIn[0]!]++;
      continue;
    }
    const other = [...(index.civic.get(pmid) ?? []), ...(index.cgi.get(pmid) ?? [])];
    notFound.push({
      pmid,
      items: items.sort(),
      genes: [...genes].sort(),
      foundIn,
      note: other.length > 0 ? `cited there for ${[...new Set(other)].sort().slice(0, 5).join(', ')} only` : 'not cited in CIViC or CGI',
    });
  }
  const total = byPmid.size;
  return { total, corroborated, share: total === 0 ? 0 : Math.round((corroborated / total) * 1000) / 1000, bySource, notFound };
}
