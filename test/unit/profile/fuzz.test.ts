/**
 * Fuzzing: whatever a user pastes or uploads, the text and VCF readers either
 * read it or throw InvalidInputError; no other exception escapes. Seeded, so
 * failures reproduce.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTextProfile } from '../../../server/profile/text.ts';
import { createGeneResolver } from '../../../server/profile/genes.ts';
import { InvalidInputError } from '../../../server/domain/errors.ts';
import { fixture, readAll, text } from './helpers.ts';

const genes = createGeneResolver();
const strict = createGeneResolver(undefined, { strict: true });
const SEED = 20261122;

const onlyInvalidInput = (err: unknown) => {
  if (!(err instanceof InvalidInputError)) throw err;
  expect(err.details.length).toBeGreaterThan(0);
};

// Pieces that look like profile text, so the fuzzer reaches deep branches.
const token = fc.constantFrom(
  'BRAF', 'EGFR', 'HER2', 'EML4', 'ALK', 'MSI', 'TMB', 'HRD', 'dMMR', 'V600E', 'p.Val600Glu', 'exon', '19', 'deletion', 'amp', 'loss',
  'fusion', '::', '-', '--', '/', ';', ',', '\n', ' ', '(', ')', '%', 'VAF', '0.3', '14,2', 'p.', 'fs', '*', 'del', 'ins', 'delins',
  'id:', 'tumour:', 'LUAD', '#', '\t', 'skipping', 'E746_A750del', ':', 'X', '=', 'c.35G>A', 'germline', 'NKX2-1', 'PD-L1', '\u0000', 'é',
);
const textLike = fc.oneof(fc.array(token, { maxLength: 30 }).map((t) => t.join('')), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }));

describe('fuzzing the text reader', () => {
  it('returns a profile or throws InvalidInputError, never anything else', () => {
    fc.assert(
      fc.property(textLike, fc.boolean(), fc.boolean(), (t, lenient, useStrict) => {
        try {
          const r = parseTextProfile(t, { genes: useStrict ? strict : genes, lenient });
          for (const a of r.profile.alterations) expect(a.key).toMatch(/\S/);
        } catch (err) {
          onlyInvalidInput(err);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe('fuzzing the VCF reader', () => {
  const vep = readFileSync(fixture('vep-csq.vcf'), 'utf8');
  const snpeff = readFileSync(fixture('snpeff-ann.vcf'), 'utf8');

  /** Mutate a real VCF: cut it, delete / duplicate / garble lines and fields. */
  const mutated = fc
    .tuple(
      fc.constantFrom(vep, snpeff),
      fc.array(
        fc.tuple(fc.nat(), fc.constantFrom('cut', 'drop', 'dup', 'field', 'tab', 'garble', 'insert'), fc.string({ maxLength: 20 })),
        { minLength: 1, maxLength: 6 },
      ),
    )
    .map(([base, edits]) => {
      let lines = base.split('\n');
      for (const [n, op, s] of edits) {
        const i = n % Math.max(lines.length, 1);
        const line = lines[i] ?? '';
        if (op === 'cut') lines = lines.slice(0, i);
        else if (op === 'drop') lines.splice(i, 1);
        else if (op === 'dup') lines.splice(i, 0, line);
        else if (op === 'insert') lines.splice(i, 0, s);
        else if (op === 'tab') lines[i] = line.replaceAll('\t', s.length % 2 ? ' ' : '\t\t');
        else if (op === 'field') {
          const f = line.split('\t');
          f[n % Math.max(f.length, 1)] = s;
          lines[i] = f.join('\t');
        } else lines[i] = line.slice(0, n % (line.length + 1)) + s + line.slice(n % (line.length + 1));
      }
      return lines.join('\n');
    });

  it('reads mutated VCFs or throws InvalidInputError, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, fc.boolean(), async (vcf, lenient) => {
        try {
          await readAll(text(vcf, 'fuzz.vcf'), { lenient, locate: () => undefined });
        } catch (err) {
          onlyInvalidInput(err);
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('arbitrary bytes given as a VCF give InvalidInputError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        try {
          await readAll(Buffer.from(bytes), { format: 'vcf', filename: 'x.vcf' });
        } catch (err) {
          onlyInvalidInput(err);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
