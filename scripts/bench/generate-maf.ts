/**
 * A seeded generator of a clinical-panel cohort MAF: `samples` samples, about
 * 5 drivers (hotspots the knowledge base names, with realistic gene
 * frequencies per tumour type) and 10 passengers (random missense variants in
 * panel genes) each, across a realistic tumour-type mix. About 15 rows per sample.
 *
 *   npx tsx scripts/bench/generate-maf.ts --samples 20000 --out cohort.maf
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lcg, pick } from './lcg.ts';

// Tumour types with cohort weights and their common drivers (gene, HGVSp_Short, classification).
const MIX: Array<{ code: string; weight: number; drivers: Array<[string, string, string]> }> = [
  { code: 'LUAD', weight: 18, drivers: [['KRAS', 'p.G12C', 'Missense_Mutation'], ['EGFR', 'p.L858R', 'Missense_Mutation'], ['EGFR', 'p.E746_A750del', 'In_Frame_Del'], ['STK11', 'p.Q37*', 'Nonsense_Mutation'], ['KEAP1', 'p.G333C', 'Missense_Mutation'], ['TP53', 'p.R273H', 'Missense_Mutation'], ['BRAF', 'p.V600E', 'Missense_Mutation'], ['MET', 'p.D1028N', 'Missense_Mutation']] },
  { code: 'COADREAD', weight: 16, drivers: [['APC', 'p.R1450*', 'Nonsense_Mutation'], ['KRAS', 'p.G12D', 'Missense_Mutation'], ['KRAS', 'p.G13D', 'Missense_Mutation'], ['TP53', 'p.R175H', 'Missense_Mutation'], ['PIK3CA', 'p.E545K', 'Missense_Mutation'], ['BRAF', 'p.V600E', 'Missense_Mutation'], ['SMAD4', 'p.R361H', 'Missense_Mutation'], ['NRAS', 'p.Q61K', 'Missense_Mutation']] },
  { code: 'BRCA', weight: 16, drivers: [['PIK3CA', 'p.H1047R', 'Missense_Mutation'], ['PIK3CA', 'p.E545K', 'Missense_Mutation'], ['TP53', 'p.R248Q', 'Missense_Mutation'], ['ESR1', 'p.Y537S', 'Missense_Mutation'], ['BRCA2', 'p.E1493fs', 'Frame_Shift_Del'], ['BRCA1', 'p.Q1756fs', 'Frame_Shift_Ins'], ['AKT1', 'p.E17K', 'Missense_Mutation'], ['CDH1', 'p.R63*', 'Nonsense_Mutation']] },
  { code: 'SKCM', weight: 8, drivers: [['BRAF', 'p.V600E', 'Missense_Mutation'], ['BRAF', 'p.V600K', 'Missense_Mutation'], ['NRAS', 'p.Q61R', 'Missense_Mutation'], ['NF1', 'p.R1362*', 'Nonsense_Mutation'], ['KIT', 'p.L576P', 'Missense_Mutation'], ['TP53', 'p.R213*', 'Nonsense_Mutation']] },
  { code: 'PAAD', weight: 8, drivers: [['KRAS', 'p.G12D', 'Missense_Mutation'], ['KRAS', 'p.G12V', 'Missense_Mutation'], ['TP53', 'p.R273C', 'Missense_Mutation'], ['CDKN2A', 'p.R80*', 'Nonsense_Mutation'], ['SMAD4', 'p.R361C', 'Missense_Mutation'], ['BRCA2', 'p.S1982fs', 'Frame_Shift_Del']] },
  { code: 'PRAD', weight: 8, drivers: [['SPOP', 'p.F133V', 'Missense_Mutation'], ['AR', 'p.T878A', 'Missense_Mutation'], ['BRCA2', 'p.E1493fs', 'Frame_Shift_Del'], ['ATM', 'p.R3008C', 'Missense_Mutation'], ['PTEN', 'p.R130*', 'Nonsense_Mutation'], ['TP53', 'p.R248W', 'Missense_Mutation']] },
  { code: 'AML', weight: 6, drivers: [['FLT3', 'p.D835Y', 'Missense_Mutation'], ['NPM1', 'p.W288fs', 'Frame_Shift_Ins'], ['IDH1', 'p.R132H', 'Missense_Mutation'], ['IDH2', 'p.R140Q', 'Missense_Mutation'], ['DNMT3A', 'p.R882H', 'Missense_Mutation'], ['NRAS', 'p.G12D', 'Missense_Mutation']] },
  { code: 'BLCA', weight: 6, drivers: [['FGFR3', 'p.S249C', 'Missense_Mutation'], ['TP53', 'p.R280T', 'Missense_Mutation'], ['PIK3CA', 'p.E545K', 'Missense_Mutation'], ['ERBB2', 'p.S310F', 'Missense_Mutation'], ['KDM6A', 'p.Q555*', 'Nonsense_Mutation']] },
  { code: 'STAD', weight: 6, drivers: [['TP53', 'p.R175H', 'Missense_Mutation'], ['PIK3CA', 'p.H1047R', 'Missense_Mutation'], ['CDH1', 'p.R63*', 'Nonsense_Mutation'], ['ERBB2', 'p.V842I', 'Missense_Mutation'], ['ARID1A', 'p.R1989*', 'Nonsense_Mutation']] },
  { code: 'GIST', weight: 2, drivers: [['KIT', 'p.W557_K558del', 'In_Frame_Del'], ['KIT', 'p.V654A', 'Missense_Mutation'], ['PDGFRA', 'p.D842V', 'Missense_Mutation']] },
  { code: 'IHCH', weight: 3, drivers: [['IDH1', 'p.R132C', 'Missense_Mutation'], ['KRAS', 'p.G12D', 'Missense_Mutation'], ['BAP1', 'p.Q253*', 'Nonsense_Mutation'], ['ARID1A', 'p.Q372*', 'Nonsense_Mutation']] },
  { code: 'UCEC', weight: 3, drivers: [['PTEN', 'p.R130Q', 'Missense_Mutation'], ['PIK3CA', 'p.H1047R', 'Missense_Mutation'], ['ARID1A', 'p.R693*', 'Nonsense_Mutation'], ['POLE', 'p.P286R', 'Missense_Mutation'], ['KRAS', 'p.G12V', 'Missense_Mutation']] },
];
const PANEL = `ABL1 AKT1 ALK APC AR ARID1A ARID1B ARID2 ASXL1 ATM ATR ATRX AXL BAP1 BARD1 BCL2 BCOR BRAF BRCA1 BRCA2 BRIP1 BTK CALR CBL CCND1 CCND2 CCNE1 CD274 CDH1 CDK12 CDK4 CDK6 CDKN1B CDKN2A CDKN2B CHEK1 CHEK2 CIC CREBBP CSF1R CTCF CTNNB1 DDR2 DICER1 DNMT3A EGFR EP300 EPHA2 ERBB2 ERBB3 ERBB4 ESR1 EZH2 FANCA FANCC FBXW7 FGFR1 FGFR2 FGFR3 FGFR4 FLT3 FOXA1 GATA3 GNA11 GNAQ GNAS HRAS IDH1 IDH2 JAK1 JAK2 KDM5C KDM6A KDR KEAP1 KIT KMT2A KMT2C KMT2D KRAS MAP2K1 MAP2K2 MAP3K1 MAPK1 MDM2 MED12 MET MLH1 MPL MSH2 MSH6 MTOR MYC MYCN NF1 NF2 NFE2L2 NOTCH1 NOTCH2 NPM1 NRAS NTRK1 NTRK2 NTRK3 PALB2 PBRM1 PDGFRA PIK3CA PIK3R1 PMS2 POLE PTCH1 PTEN PTPN11 RAD51C RAD51D RAF1 RB1 RET RHOA RNF43 ROS1 RUNX1 SETD2 SF3B1 SMAD4 SMARCA4 SMARCB1 SMO SPOP SRSF2 STAG2 STK11 TERT TET2 TP53 TSC1 TSC2 U2AF1 VHL WT1 XPO1 ZFHX3 ZNF217`.split(/\s+/);
const AA = 'ACDEFGHIKLMNPQRSTVWY';

export async function generateMaf(out: string, samples: number, seed = 2026): Promise<{ rows: number }> {
  const rand = lcg(seed);
  const total = MIX.reduce((s, m) => s + m.weight, 0);
  const stream = createWriteStream(out);
  const write = async (s: string) => {
    if (!stream.write(s)) await once(stream, 'drain');
  };
  await write('Hugo_Symbol\tChromosome\tVariant_Classification\tVariant_Type\tTumor_Sample_Barcode\tHGVSp_Short\tONCOTREE_CODE\n');
  let rows = 0;
  for (let s = 0; s < samples; s++) {
    let r = rand() * total;
    const mix = MIX.find((m) => (r -= m.weight) < 0) ?? MIX[0]!;
    const id = `P-${String(s + 1).padStart(7, '0')}-T01`;
    const nDrivers = 3 + Math.floor(rand() * 5); // 3..7, mean 5
    const nPassengers = 6 + Math.floor(rand() * 9); // 6..14, mean 10
    const lines: string[] = [];
    for (let i = 0; i < nDrivers; i++) {
      const [gene, change, cls] = pick(rand, mix.drivers);
      lines.push(`${gene}\t.\t${cls}\tSNP\t${id}\t${change}\t${mix.code}`);
    }
    for (let i = 0; i < nPassengers; i++) {
      const gene = pick<string>(rand, PANEL);
      const ref = pick<string>(rand, AA);
      let alt = pick<string>(rand, AA);
      if (alt === ref) alt = ref === 'A' ? 'V' : 'A';
      lines.push(`${gene}\t.\tMissense_Mutation\tSNP\t${id}\tp.${ref}${20 + Math.floor(rand() * 1500)}${alt}\t${mix.code}`);
    }
    rows += lines.length;
    await write(`${lines.join('\n')}\n`);
  }
  stream.end();
  await once(stream, 'finish');
  return { rows };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const usage = 'usage: npx tsx scripts/bench/generate-maf.ts [--samples N] [--out FILE] [--seed N]   (defaults: 20000, cohort.maf, 2026)';
  let values: { samples?: string; out?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { samples: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    console.error(`generate-maf: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const samples = Number(values.samples ?? 20000);
  const seed = Number(values.seed ?? 2026);
  if (!Number.isInteger(samples) || samples < 1 || !Number.isInteger(seed)) {
    console.error(`generate-maf: --samples must be a positive whole number and --seed a whole number\n${usage}`);
    process.exit(2);
  }
  const out = values.out ?? 'cohort.maf';
  const { rows } = await generateMaf(out, samples, seed);
  console.error(`generate-maf: ${samples} samples, ${rows} rows -> ${out}`);
}
