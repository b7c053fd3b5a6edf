import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine.ts';
import { RankResult } from '../../server/domain/result.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let srv: RunningServer;
beforeAll(async () => {
  srv = await startServer({ engine: createEngine() });
});
afterAll(() => srv.close());

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('HTTP API', () => {
  it('GET /api/health names the knowledge base', async () => {
    const res = await fetch(`${srv.url}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.kb.hash).toMatch(/^sha256:/);
  });

  it('POST /api/rank ranks a JSON profile', async () => {
    const res = await post('/api/rank', JSON.stringify({ id: 'c1', tumourType: 'LUAD', alterations: [{ gene: 'EGFR', kind: 'mutation', change: 'L858R' }] }));
    expect(res.status).toBe(200);
    const r = RankResult.parse(await res.json());
    expect(r.id).toBe('c1');
    expect(r.therapies[0]!.class).toBe('on-label');
  });

  it('POST /api/rank answers UTF-8 JSON whose Content-Length counts bytes, with the API headers', async () => {
    // MYD88 L265P evidence names Waldenström macroglobulinaemia: characters of more than one byte in the answer.
    const res = await post('/api/rank', JSON.stringify({ id: 'c2', tumourType: 'WM', alterations: [{ gene: 'MYD88', kind: 'mutation', change: 'L265P' }] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('Waldenström');
    expect(RankResult.parse(JSON.parse(text)).id).toBe('c2');
  });

  it('POST /api/rank ranks a text/plain body with the tumour type in the query', async () => {
    const res = await post('/api/rank?tumour=LUAD', 'EGFR L858R; EGFR T790M', 'text/plain');
    expect(res.status).toBe(200);
    const r = RankResult.parse(await res.json());
    expect(r.tumourType).toBe('LUAD');
    expect(r.therapies[0]!.id).toBe('osimertinib');
  });

  it('POST /api/rank refuses a text body of more items than a profile could hold at once (400 naming the line), before reading them', async () => {
    const lines = Array.from({ length: 20_001 }, (_, i) => `KRAS G${(i % 100) + 1}D`);
    const res = await post('/api/rank?tumour=COADREAD', lines.join('\n'), 'text/plain');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.details).toEqual([{ line: 20_001, message: expect.stringMatching(/more than 20,000 items in one text profile.*send the VCF or MAF itself/) }]);
  });

  it('POST /api/rank accepts {text, tumourType, agency}', async () => {
    const res = await post('/api/rank', JSON.stringify({ text: 'EGFR L858R', tumourType: 'LUAD', agency: 'EMA' }));
    expect(res.status).toBe(200);
    expect((await res.json()).scoring.agency).toBe('EMA');
  });

  it('POST /api/rank reads a VEP-annotated VCF sent as {text, filename}', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../fixtures/profile/vep-csq.vcf', import.meta.url), 'utf8');
    const res = await post('/api/rank', JSON.stringify({ text, filename: 'tumour.vcf', sample: 'TUMOUR1', tumourType: 'MEL' }));
    expect(res.status).toBe(200);
    const r = RankResult.parse(await res.json());
    expect(r.alterations.map((a) => a.key)).toContain('BRAF:p.V600E');
    expect(r.therapies[0]!.class).toBe('on-label');
  });

  it('POST /api/rank reads the one sample asked for of a MAF of several', async () => {
    const maf = 'Hugo_Symbol\tVariant_Classification\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tMissense_Mutation\tP1-T\tp.V600E\nEGFR\tMissense_Mutation\tP2-T\tp.L858R\n';
    const several = await post('/api/rank', JSON.stringify({ text: maf, filename: 'two.maf', tumourType: 'LUAD' }));
    expect(several.status).toBe(400);
    const res = await post('/api/rank', JSON.stringify({ text: maf, filename: 'two.maf', sample: 'P2-T', tumourType: 'LUAD' }));
    expect(res.status).toBe(200);
    const r = RankResult.parse(await res.json());
    expect(r.alterations.map((a) => a.key)).toEqual(['EGFR:p.L858R']);
    expect(r.therapies[0]!.id).toBe('osimertinib');
  });

  it("POST /api/rank reads the one sample asked for of a copy-number matrix (cBioPortal's data_CNA.txt)", async () => {
    const cna = 'Hugo_Symbol\tEntrez_Gene_Id\tP-1\tP-2\nERBB2\t2064\t2\t0\nMET\t4233\t0\t2\n';
    const several = await post('/api/rank', JSON.stringify({ text: cna, filename: 'data_CNA.txt', tumourType: 'BRCA' }));
    expect(several.status).toBe(400);
    const res = await post('/api/rank', JSON.stringify({ text: cna, filename: 'data_CNA.txt', sample: 'P-1', tumourType: 'BRCA' }));
    expect(res.status).toBe(200);
    const r = RankResult.parse(await res.json());
    expect(r.alterations.map((a) => a.key)).toEqual(['ERBB2:amp']);
    const missing = await post('/api/rank', JSON.stringify({ text: cna, filename: 'data_CNA.txt', sample: 'P-3', tumourType: 'BRCA' }));
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toMatch(/the samples in this copy-number matrix are P-1, P-2/);
  });

  it('POST /api/profiles/parse shows what was understood, with driver annotation', async () => {
    const res = await post('/api/profiles/parse', JSON.stringify({ text: 'BRAF V600E\nKRAS A11V', tumourType: 'MEL' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.alterations.map((a: { key: string; driver: string }) => `${a.key}=${a.driver}`)).toEqual(['BRAF:p.V600E=oncogenic', 'KRAS:p.A11V=unknown']);
  });

  it.each([
    ['malformed JSON', '{"alterations": [', 'invalid_json', /not valid JSON/],
    ['an unknown kind', '{"alterations":[{"gene":"EGFR","kind":"mutant"}]}', 'invalid_input', /alterations\.0\.kind/],
    ['a missing gene', '{"alterations":[{"kind":"mutation","change":"V600E"}]}', 'invalid_input', /alterations\.0\.gene/],
    ['an identifying field', '{"name":"Jane Doe","alterations":[]}', 'invalid_input', /name|unrecognized/i],
    ['a bad agency', '{"text":"EGFR L858R","agency":"PMDA"}', 'invalid_input', /agency/],
  ])('rejects %s with 400 and a body naming the field', async (_n, body, code, detail) => {
    const res = await post('/api/rank', body);
    expect(res.status).toBe(400);
    const e = (await res.json()).error;
    expect(e.code).toBe(code);
    expect(`${e.message} ${JSON.stringify(e.details)}`).toMatch(detail);
  });

  it('answers an unknown API route with 404 in the error shape', async () => {
    const res = await fetch(`${srv.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('serves an OpenAPI document describing /api/rank', async () => {
    const doc = await (await fetch(`${srv.url}/api/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/rank'].post.responses['200']).toBeDefined();
    expect(doc.components.schemas.RankResult.properties.therapies).toBeDefined();
  });
});
