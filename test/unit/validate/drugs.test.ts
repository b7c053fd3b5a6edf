import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { classDrugs, DRUG_CLASSES, holdsItemDrugs, itemDrugs, resolveDrugs } from '../../../server/validate/drugs.ts';
import { createDrugLookup, type DrugRecord } from '../../../server/opendata/drugs.ts';
import { ROOT } from '../../helpers/cli.ts';

const lookup = createDrugLookup(['cetuximab', 'fluorouracil', 'leucovorin', 'oxaliplatin', 'irinotecan'].map((name) => ({ name })));

/** The shipped drugs.yaml: the classes are read from its `class` and `targets` fields. */
const shipped: DrugRecord[] = (parse(readFileSync(join(ROOT, 'evidence', 'drugs.yaml'), 'utf8')) as { drugs: DrugRecord[] }).drugs;
const real = createDrugLookup(shipped);

describe('validate/drugs: the drugs a reference item names', () => {
  it('reads a named regimen as its drugs', () => {
    expect(resolveDrugs(['FOLFOX-4 Regimen', 'Cetuximab'], lookup)).toEqual({ drugs: ['fluorouracil', 'leucovorin', 'oxaliplatin', 'cetuximab'], classes: [], unknown: [] });
  });
  it('leaves out an unspecified chemotherapy backbone next to a named drug, but not on its own', () => {
    expect(resolveDrugs(['Cetuximab', 'Chemotherapy'], lookup)).toEqual({ drugs: ['cetuximab'], classes: [], unknown: [] });
    expect(resolveDrugs(['Chemotherapy'], lookup)).toEqual({ drugs: [], classes: [], unknown: ['Chemotherapy'] });
  });
  it('reports a name it cannot read, never guesses', () => {
    // no drug of this lookup carries a class, so the class names no drug
    expect(resolveDrugs(['Cetuximab', 'Platinum Compound'], lookup)).toEqual({ drugs: ['cetuximab'], classes: [], unknown: ['Platinum Compound'] });
    // a class name not in the table stays unknown, whatever the knowledge base holds
    expect(resolveDrugs(['IGF1R Monoclonal Antibody'], real)).toEqual({ drugs: [], classes: [], unknown: ['IGF1R Monoclonal Antibody'] });
  });
});

describe('validate/drugs: drug classes read as any knowledge-base drug of the class (shipped drugs.yaml)', () => {
  const members = (name: string) => classDrugs(name, shipped)!;

  it('an EGFR tyrosine kinase inhibitor is a small-molecule EGFR inhibitor, not an anti-EGFR antibody or a multikinase inhibitor', () => {
    const tki = members('Epidermal Growth Factor Receptor Tyrosine Kinase Inhibitor');
    for (const d of ['erlotinib', 'gefitinib', 'afatinib', 'dacomitinib', 'osimertinib', 'lazertinib', 'mobocertinib', 'lapatinib', 'neratinib']) expect(tki).toContain(d);
    for (const d of ['cetuximab', 'panitumumab', 'amivantamab', 'brigatinib', 'vandetanib', 'tucatinib', 'trastuzumab']) expect(tki).not.toContain(d);
    expect(members('EGFR TKI')).toEqual(tki);
  });

  it('chemotherapy classes: platinum compounds, taxanes, anthracyclines', () => {
    expect(members('Platinum Compound')).toEqual(['carboplatin', 'cisplatin', 'oxaliplatin']);
    expect(members('Taxane Compound')).toEqual(['docetaxel', 'nab-paclitaxel', 'paclitaxel']);
    expect(members('Anthracycline')).toEqual(['daunorubicin', 'doxorubicin', 'epirubicin', 'idarubicin']);
    expect(members('Anthracycline Antineoplastic Antibiotic')).toEqual(members('Anthracycline'));
  });

  it('BRAF and MEK inhibitors, not the multikinase inhibitors that also hit RAF', () => {
    const braf = members('BRAF Inhibitor');
    for (const d of ['vemurafenib', 'dabrafenib', 'encorafenib']) expect(braf).toContain(d);
    for (const d of ['sorafenib', 'regorafenib', 'trametinib']) expect(braf).not.toContain(d);
    const mek = members('Mitogen-Activated Protein Kinase Kinase Inhibitor');
    for (const d of ['trametinib', 'cobimetinib', 'binimetinib', 'selumetinib']) expect(mek).toContain(d);
    expect(mek).not.toContain('dabrafenib');
  });

  it('every class of the table names at least one drug of the shipped knowledge base', () => {
    for (const name of Object.keys(DRUG_CLASSES)) expect(members(name).length, name).toBeGreaterThan(0);
  });

  it('a combination of classes needs one drug of each; named drugs are still all needed', () => {
    const r = itemDrugs(['Taxane Compound', 'Platinum Compound'], real);
    expect(r.drugs).toEqual([]);
    expect(r.unknownDrugs).toEqual([]);
    expect(r.drugClasses?.map((c) => c.name)).toEqual(['Taxane Compound', 'Platinum Compound']);
    expect(holdsItemDrugs(['carboplatin', 'paclitaxel'], r.drugs, r.drugClasses)).toBe(true);
    expect(holdsItemDrugs(['carboplatin', 'pemetrexed'], r.drugs, r.drugClasses)).toBe(false);
    const withDrug = itemDrugs(['Bevacizumab', 'Platinum Compound'], real);
    expect(holdsItemDrugs(['bevacizumab', 'cisplatin'], withDrug.drugs, withDrug.drugClasses)).toBe(true);
    expect(holdsItemDrugs(['cisplatin', 'pemetrexed'], withDrug.drugs, withDrug.drugClasses)).toBe(false);
  });

  it('a board offered erlotinib has been offered an EGFR tyrosine kinase inhibitor; one offered cetuximab has not', () => {
    const r = itemDrugs(['Epidermal Growth Factor Receptor Tyrosine Kinase Inhibitor'], real);
    expect(holdsItemDrugs(['erlotinib'], r.drugs, r.drugClasses)).toBe(true);
    expect(holdsItemDrugs(['bevacizumab', 'erlotinib'], r.drugs, r.drugClasses)).toBe(true);
    expect(holdsItemDrugs(['cetuximab'], r.drugs, r.drugClasses)).toBe(false);
  });
});
