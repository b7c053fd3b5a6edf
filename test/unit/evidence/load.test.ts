import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBaseError } from '../../../server/domain/errors.ts';
import { DEFAULT_EVIDENCE_DIR, loadKnowledgeBase } from '../../../server/evidence/load.ts';

const dirs: string[] = [];
function copyKb(): string {
  const d = mkdtempSync(join(tmpdir(), 'mtbnet-kb-'));
  dirs.push(d);
  cpSync(DEFAULT_EVIDENCE_DIR, d, { recursive: true });
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function errorsOf(dir: string): KnowledgeBaseError {
  try {
    loadKnowledgeBase(dir);
  } catch (e) {
    if (e instanceof KnowledgeBaseError) return e;
    throw e;
  }
  throw new Error('expected the knowledge base to be rejected');
}

/** Every problem the load reports, one `path: message` per line. */
const messagesOf = (dir: string) =>
  errorsOf(dir)
    .details.map((x) => `${x.path}: ${x.message}`)
    .join('\n');

describe('loading the knowledge base', () => {
  it('loads the shipped evidence with a content hash', () => {
    const kb = loadKnowledgeBase();
    expect(kb.counts.evidence).toBeGreaterThan(0);
    expect(kb.graph.getAttribute('hash')).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('the hash changes when any file changes', () => {
    const d = copyKb();
    const before = loadKnowledgeBase(d).graph.getAttribute('hash');
    const f = join(d, 'kb.yaml');
    writeFileSync(f, readFileSync(f, 'utf8') + '\n# touched\n');
    expect(loadKnowledgeBase(d).graph.getAttribute('hash')).not.toBe(before);
  });

  it('names the file, item, field and line of an invalid evidence item', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('level: guideline', 'level: strong'));
    const e = errorsOf(d);
    expect(e.details[0]!.path).toMatch(/^genes\/EGFR\.yaml item EGFR-T790M-\S+: level$/);
    expect(e.details[0]!.line).toBeGreaterThan(1);
  });

  it('reports unknown drugs, tumour types and unreadable criteria together', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    // Three different items (the 1st, 2nd and 3rd), each broken in one field.
    const nth = (text: string, field: string, n: number, value: string) => {
      let i = 0;
      return text.replace(new RegExp(`^    ${field}: .*$`, 'gm'), (m) => (i++ === n ? `    ${field}: ${value}` : m));
    };
    let text = readFileSync(f, 'utf8');
    text = nth(text, 'therapy', 0, 'wonderinib');
    text = nth(text, 'tumour', 1, 'NOTATYPE');
    text = nth(text, 'biomarker', 2, 'EGFR purple');
    writeFileSync(f, text);
    const messages = messagesOf(d);
    expect(messages).toMatch(/therapy: unknown drug "wonderinib"/);
    expect(messages).toMatch(/tumour: unknown tumour type "NOTATYPE"/);
    expect(messages).toMatch(/biomarker: .*"EGFR purple" is not a criterion/);
  });

  it('rejects superiorTo on an item that is not a randomised phase 3, approval or guideline, naming the item, field and line', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    // The pooled ARCHER 1009 analysis is retrospective: it cannot claim a randomised win.
    writeFileSync(f, readFileSync(f, 'utf8').replace(/(  - id: EGFR-sens-dacomitinib-pooled-ARCHER1009\n(?:    .*\n)*?    sources: .*\n)/, '$1    superiorTo: [[erlotinib]]\n'));
    const e = errorsOf(d);
    expect(`${e.details[0]!.path}: ${e.details[0]!.message}`).toMatch(
      /^genes\/EGFR\.yaml item EGFR-sens-dacomitinib-pooled-ARCHER1009: superiorTo: .*only on phase3, approved or guideline items, not retrospective/,
    );
    expect(e.details[0]!.line).toBeGreaterThan(1);
  });

  it('rejects superiorTo cited by a web page alone, and a study cited twice in one item, naming the item and field', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    const text = readFileSync(f, 'utf8');
    const archer = '    sources: [{pmid: "28958502"}, {label: FDA}, {label: EMA}]';
    expect(text).toContain(archer);
    writeFileSync(f, text.replace(archer, '    sources: [{url: "https://example.org/archer-1050"}]'));
    expect(messagesOf(d)).toMatch(
      /genes\/EGFR\.yaml item EGFR-sens-dacomitinib-ARCHER1050: superiorTo: superiorTo names a randomised trial: cite its publication \(pmid\), its registration \(nct\) or the label/,
    );
    writeFileSync(f, text.replace(archer, '    sources: [{pmid: "28958502"}, {label: FDA}, {pmid: "28958502"}]'));
    expect(messagesOf(d)).toMatch(
      /genes\/EGFR\.yaml item EGFR-sens-dacomitinib-ARCHER1050: sources\.2: PMID 28958502 is cited twice in this item: cite each study once/,
    );
  });

  it('rejects a superiorTo control arm with a drug not in drugs.yaml', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('    superiorTo: [[gefitinib]]', '    superiorTo: [[gefitinib], [wonderinib]]'));
    const messages = messagesOf(d);
    expect(messages).toMatch(/genes\/EGFR\.yaml item EGFR-sens-dacomitinib-ARCHER1050: superiorTo: unknown drug "wonderinib": add it to drugs\.yaml/);
  });

  it('rejects a backbone with a drug not in drugs.yaml, or one the therapy already holds, naming the item and field', () => {
    const d = copyKb();
    const f = join(d, 'genes/ERBB2.yaml');
    const text = readFileSync(f, 'utf8');
    writeFileSync(f, text.replace('    backbone: [[docetaxel]]  # CLEOPATRA', '    backbone: [[docetaxel], [wonderinib]]'));
    expect(messagesOf(d)).toMatch(
      /genes\/ERBB2\.yaml item ERBB2-pertuzumab-trastuzumab-BRCA: backbone: unknown drug "wonderinib": add it to drugs\.yaml/,
    );
    writeFileSync(f, text.replace('    backbone: [[docetaxel]]  # CLEOPATRA', '    backbone: [[docetaxel, trastuzumab]]'));
    expect(messagesOf(d)).toMatch(/ERBB2-pertuzumab-trastuzumab-BRCA: backbone\.0: backbone lists drugs the therapy already holds: trastuzumab/);
  });

  it('keeps a withdrawn approval as history only: never at level approved alone, never on-label, never a drug approval', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    const text = readFileSync(f, 'utf8');
    const mobocertinib = 'approvals: [{agency: FDA, year: 2021, withdrawn: 2023, note: "accelerated; withdrawn after the confirmatory trial failed"}]';
    expect(text).toContain(`    level: phase2\n    ${mobocertinib}`);
    // all approvals withdrawn, yet level approved
    writeFileSync(f, text.replace(`    level: phase2\n    ${mobocertinib}`, `    level: approved\n    ${mobocertinib}`));
    expect(messagesOf(d)).toMatch(
      /genes\/EGFR\.yaml item EGFR-ex20ins-mobocertinib: level: every approval of this item is withdrawn: give the level of the trial behind it/,
    );
    // an approval in force on a trial level
    writeFileSync(f, text.replace(mobocertinib, 'approvals: [{agency: FDA, year: 2021}]'));
    expect(messagesOf(d)).toMatch(/EGFR-ex20ins-mobocertinib: approvals: approvals in force only go with level: approved/);
    // withdrawn before it was given
    writeFileSync(f, text.replace('year: 2021, withdrawn: 2023', 'year: 2021, withdrawn: 2019'));
    expect(messagesOf(d)).toMatch(/EGFR-ex20ins-mobocertinib: approvals\.0\.withdrawn: withdrawn: a year no earlier than the approval/);
  });

  it('rejects an approval in force of a drug drugs.yaml does not list as approved by that agency', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    // mobocertinib has no approval in drugs.yaml: an approval in force here would be one never given (or since withdrawn)
    writeFileSync(f, readFileSync(f, 'utf8').replace('    level: phase2\n    approvals: [{agency: FDA, year: 2021, withdrawn: 2023,', '    level: approved\n    approvals: [{agency: FDA, year: 2021,'));
    expect(messagesOf(d)).toMatch(
      /genes\/EGFR\.yaml item EGFR-ex20ins-mobocertinib: approvals\.0: an FDA approval \(2021\), but drugs\.yaml does not list FDA under approved for "mobocertinib": correct the approval \(withdrawn: YEAR if it was withdrawn\), or add FDA to the drug/,
    );
  });

  it('rejects a curated criterion naming a gene the knowledge base does not have, or a fusion partner that is no gene', () => {
    const d = copyKb();
    const f = join(d, 'genes/EGFR.yaml');
    const text = readFileSync(f, 'utf8');
    writeFileSync(f, text.replace(/(  - id: EGFR-sens-dacomitinib-ARCHER1050\n    biomarker: ).*/, '$1EGFRR L858R'));
    expect(messagesOf(d)).toMatch(
      /genes\/EGFR\.yaml item EGFR-sens-dacomitinib-ARCHER1050: biomarker: unknown gene "EGFRR": check the symbol \(HGNC\), or add genes\/<SYMBOL>\.yaml/,
    );
    writeFileSync(f, text.replace(/(  - id: EGFR-sens-dacomitinib-ARCHER1050\n    biomarker: ).*/, '$1NOTAGENE1::EGFR fusion'));
    expect(messagesOf(d)).toMatch(/EGFR-sens-dacomitinib-ARCHER1050: biomarker: unknown gene "NOTAGENE1"/);
    // an alias would never match: profiles read it as the current symbol
    writeFileSync(f, text.replace(/(  - id: EGFR-sens-dacomitinib-ARCHER1050\n    biomarker: ).*/, '$1MLL::EGFR fusion'));
    expect(messagesOf(d)).toMatch(/EGFR-sens-dacomitinib-ARCHER1050: biomarker: unknown gene "MLL" \(write KMT2A, its current symbol\)/);
  });

  it('says what a source should be (an unquoted PMID, another agency, http), and names both files of a duplicate id, case aside', () => {
    const d = copyKb();
    const f = join(d, 'genes/FGFR3.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('sources: [{pmid: "31340094"}, {label: FDA}, {label: EMA}]', 'sources: [{pmid: 31340094}, {label: PMDA}, {url: "http://example.org"}, {doi: "10.1/x"}]'));
    const messages = messagesOf(d);
    expect(messages).toMatch(/FGFR3-erdafitinib-urothelial: sources\.0: pmid is written in quotes, as a string of digits: pmid: "31340094"/);
    expect(messages).toMatch(/sources\.1: label is the agency whose prescribing information is cited: FDA or EMA, got "PMDA"/);
    expect(messages).toMatch(/sources\.2\.url: url is an https address \(http is not accepted\)/);
    expect(messages).toMatch(/sources\.3: a source is \{pmid: "29151359"\}, .*got \{doi\}/);
    const e = copyKb();
    const braf = join(e, 'genes/BRAF.yaml');
    writeFileSync(braf, readFileSync(braf, 'utf8').replace(/  - id: (\S+)/, '  - id: kras-g12c-sotorasib-nsclc'));
    expect(errorsOf(e).details.map((x) => `${x.path}: ${x.message}`).join('\n')).toMatch(
      /item KRAS-G12C-sotorasib-NSCLC: id: duplicate evidence id: "kras-g12c-sotorasib-nsclc", the same id but for case, is also given to an item in genes\/BRAF\.yaml; give one of them another id/,
    );
  });

  it('rejects a gene whose itd names a domain it does not define', () => {
    const d = copyKb();
    const f = join(d, 'genes/FLT3.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('itd: juxtamembrane', 'itd: tkd1'));
    const messages = messagesOf(d);
    expect(messages).toMatch(/genes\/FLT3\.yaml.*itd: itd names domain "tkd1", which is not under domains \(juxtamembrane, kinase\)/);
  });

  it('reports YAML syntax errors with the line', () => {
    const d = copyKb();
    writeFileSync(join(d, 'genes/EGFR.yaml'), 'gene: EGFR\nrole: [oncogene\n');
    const e = errorsOf(d);
    expect(e.details[0]!.path).toBe('genes/EGFR.yaml');
    expect(e.details[0]!.message).toMatch(/^YAML/);
  });

  it('counts a study once: an imported item citing what a curated item cites, for the same therapy and gene, is left out', () => {
    const d = copyKb();
    const item = (id: string, therapy: string, pmid: string) =>
      `  - id: ${id}\n    biomarker: FLT3 juxtamembrane-domain mutation\n    therapy: ${therapy}\n    tumour: AML\n    level: phase2\n    direction: resistance\n` +
      `    statement: test item.\n    sources: [{pmid: "${pmid}"}]\n`;
    writeFileSync(
      join(d, 'imports/test.yaml'),
      `evidence:\n${item('t-same', 'tretinoin', '19965647')}${item('t-other-drug', 'daunorubicin', '19965647')}${item('t-other-study', 'tretinoin', '24178622')}`,
    );
    const graph = loadKnowledgeBase(d, { imports: ['test'] }).graph;
    expect(graph.hasNode('evidence:FLT3-ITD-tretinoin-AML-no-benefit')).toBe(true); // the curated AML15 item
    expect(graph.hasNode('evidence:t-same')).toBe(false);
    expect(graph.hasNode('evidence:t-other-drug')).toBe(true);
    expect(graph.hasNode('evidence:t-other-study')).toBe(true);
  });

  it('refuses a folder without kb.yaml with what to do next', () => {
    expect(() => loadKnowledgeBase(tmpdir())).toThrow(/no knowledge base/);
  });
});
