import { describe, expect, it } from 'vitest';
import { resolveDrugs } from '../../../server/validate/drugs.ts';
import { createDrugLookup } from '../../../server/opendata/drugs.ts';

const lookup = createDrugLookup(['cetuximab', 'fluorouracil', 'leucovorin', 'oxaliplatin', 'irinotecan'].map((name) => ({ name })));

describe('validate/drugs: the drugs a reference item names', () => {
  it('reads a named regimen as its drugs', () => {
    expect(resolveDrugs(['FOLFOX-4 Regimen', 'Cetuximab'], lookup)).toEqual({ drugs: ['fluorouracil', 'leucovorin', 'oxaliplatin', 'cetuximab'], unknown: [] });
  });
  it('leaves out an unspecified chemotherapy backbone next to a named drug, but not on its own', () => {
    expect(resolveDrugs(['Cetuximab', 'Chemotherapy'], lookup)).toEqual({ drugs: ['cetuximab'], unknown: [] });
    expect(resolveDrugs(['Chemotherapy'], lookup)).toEqual({ drugs: [], unknown: ['Chemotherapy'] });
  });
  it('reports a name it cannot read, never guesses', () => {
    expect(resolveDrugs(['Cetuximab', 'Platinum Compound'], lookup)).toEqual({ drugs: ['cetuximab'], unknown: ['Platinum Compound'] });
  });
});
