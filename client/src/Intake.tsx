/**
 * Profile intake: paste or drop a profile (text, JSON, VCF, MAF, CNV or fusion
 * table), see what the readers understood line by line with the driver
 * annotation and warnings, then rank it here or open a case with it.
 * A reader's error is shown beside its line; a server error keeps the input.
 */
import { useMemo, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { addToAgenda, createCase, errorBody, parseProfile, rankCase, type ApiErrorBody, type Meeting, type ParseResult, type Profile, type SampleIdEntry } from './api.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { href, navigate } from './hooks.ts';
import { fileSamples, formatFromFilename, inputLines, looksLikeText, sampleToRead } from './profile-input.ts';
import { RankingWorkbench } from './RankingWorkbench.tsx';
import { SampleToRead } from './SampleToRead.tsx';
import { TumourTypeField, useTumourTypes } from './TumourTypeField.tsx';
import { driverStyle, driverText } from '../../server/domain/driver-text.ts';
import { isBgzfEof, isBgzfHeader } from '../../server/domain/bgzf.ts';

const FORMATS = [
  ['', 'detect'],
  ['text', 'text'],
  ['json', 'JSON'],
  ['vcf', 'VCF'],
  ['maf', 'MAF'],
  ['cnv', 'CNV table'],
  ['fusion', 'fusion table'],
] as const;

type LineResult = { ok: true; alterations: ParseResult['alterations'] } | { ok: false; error: ApiErrorBody['error'] };

export interface Preview {
  parse?: ParseResult;
  error?: ApiErrorBody['error'];
  /** Text form only: what each line alone reads as. */
  lines?: Map<number, LineResult>;
  /** The input this preview is of (to tell when it is stale). */
  of: string;
}

export const EXAMPLE = 'EGFR L858R\nEGFR T790M\nTP53 R273H';

/**
 * The members of a BGZF file (bgzip, the usual form of a clinical .vcf.gz): each block is a gzip member whose
 * header says its size (the BC extra field), which a browser's DecompressionStream takes one at a time (it
 * refuses data after the first member). Undefined when the bytes are not BGZF.
 */
export function bgzfBlocks(bytes: Uint8Array<ArrayBuffer>): Array<Uint8Array<ArrayBuffer>> | undefined {
  const blocks: Array<Uint8Array<ArrayBuffer>> = [];
  for (let at = 0; at < bytes.length; ) {
    // ID1 ID2 CM FLG(FEXTRA) MTIME(4) XFL OS XLEN(2), then the subfield B C, SLEN 2, BSIZE (block size - 1)
    if (!isBgzfHeader(bytes, at)) return undefined;
    const size = (bytes[at + 16]! | (bytes[at + 17]! << 8)) + 1;
    if (at + size > bytes.length) return undefined;
    blocks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return blocks.length > 0 ? blocks : undefined;
}

/** A BGZF file without its end-of-file block: cut after a whole block, it would unpack without a fault, only shorter. */
class TruncatedFile extends Error {}

async function gunzip(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const bgzf = bgzfBlocks(bytes);
  const last = bgzf?.[bgzf.length - 1];
  if (last && !isBgzfEof(last)) {
    throw new TruncatedFile(
      'it ends without the end-of-file block that bgzip writes, so it was cut short (a download or copy that stopped) and variants may be missing: download or copy it again',
    );
  }
  const blocks = bgzf ?? [bytes];
  const decoder = new TextDecoder();
  let text = '';
  for (const block of blocks) {
    const out = new Uint8Array(await new Response(new Blob([block]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    text += decoder.decode(out, { stream: true });
  }
  return text + decoder.decode();
}

/** Read a dropped or chosen file as text; gzip (BGZF too) is unpacked; binary files are refused with a reason. */
export async function readFileText(file: File): Promise<string> {
  let text: string;
  try {
    text = /\.gz$/i.test(file.name) ? await gunzip(file) : await file.text();
  } catch (err) {
    if (err instanceof TruncatedFile) throw new Error(`${file.name} is incomplete: ${err.message}`);
    throw new Error(`${file.name} could not be unpacked (${err instanceof Error ? err.message : String(err)}): check that it is a gzip file, or unpack it first`);
  }
  if (text.includes('\u0000')) throw new Error(`${file.name} is not a text file (VCF, MAF, CNV, fusion table, JSON or text are read)`);
  return text;
}

export function Intake({ meetings }: { meetings?: Meeting[] }) {
  const [caseId, setCaseId] = useState('');
  const [tumour, setTumour] = useState('LUAD');
  // Empty: an example written in would be stored as the case's profile by anyone who forgot to replace it.
  const [text, setText] = useState('');
  /** The agency of the ranking on screen: the case is ranked with it when opened. */
  const [agency, setAgency] = useState<'FDA' | 'EMA'>();
  /** Set once the case exists: a later failure (ranking, agenda) must not say that nothing was saved. */
  const [created, setCreated] = useState<string>();
  const [format, setFormat] = useState('');
  const [filename, setFilename] = useState<string>();
  const [fileError, setFileError] = useState<string>();
  const [preview, setPreview] = useState<Preview>();
  const [ranked, setRanked] = useState<{ profile: Profile; key: string }>();
  const [busy, setBusy] = useState<string>();
  const [serverError, setServerError] = useState<ApiErrorBody['error']>();
  const [meetingId, setMeetingId] = useState('');
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const types = useTumourTypes();
  /**
   * A VCF's sample columns, a MAF's barcodes, a copy-number or fusion table's samples, by the format the text is read
   * as (the one chosen or named by the file, else detected): with two or more, the one to read is chosen here.
   */
  const samples = useMemo(() => fileSamples(text, format), [text, format]);
  const [chosenSample, setChosenSample] = useState<string>();
  const readSample = sampleToRead(samples, chosenSample);
  const inputKey = JSON.stringify([text, tumour.trim().toUpperCase(), format, filename, readSample]);
  const stale = preview !== undefined && preview.of !== inputKey;

  async function check(): Promise<Preview> {
    const request = { text, tumourType: tumour.trim().toUpperCase() || undefined, format: format || undefined, filename, sample: readSample };
    const of = inputKey;
    const whole = parseProfile(request).then(
      (parse) => ({ parse }),
      (err) => ({ error: errorBody(err) }),
    );
    // Text form: each line alone too, so every line shows what it was read as, or its own error.
    let lines: Map<number, LineResult> | undefined;
    if ((format === '' || format === 'text') && looksLikeText(text) && !filename) {
      const items = inputLines(text).filter((l) => l.kind === 'alteration');
      const answers = await Promise.all(
        items.map((l) =>
          parseProfile({ text: l.text, format: 'text' }).then(
            (p): LineResult => ({ ok: true, alterations: p.alterations }),
            (err): LineResult => ({ ok: false, error: errorBody(err) }),
          ),
        ),
      );
      lines = new Map(items.map((l, i) => [l.line, answers[i]!]));
    }
    const p: Preview = { ...(await whole), lines, of };
    setPreview(p);
    return p;
  }

  async function onCheck(e?: FormEvent) {
    e?.preventDefault();
    setBusy('Reading…');
    setServerError(undefined);
    try {
      await check();
    } finally {
      setBusy(undefined);
    }
  }

  async function onRank() {
    setBusy('Ranking…');
    setServerError(undefined);
    try {
      const p = stale || !preview ? await check() : preview;
      if (p.parse) setRanked({ profile: p.parse.profile, key: p.of });
      else setRanked(undefined);
    } finally {
      setBusy(undefined);
    }
  }

  async function onCreate() {
    setBusy('Creating the case…');
    setServerError(undefined);
    setCreated(undefined);
    try {
      const { case: c } = await createCase({ id: caseId.trim(), tumourType: tumour.trim().toUpperCase() || undefined, profile: { text, format: format || undefined, readSample } });
      setCreated(c.id);
      await rankCase(c.id, agency);
      if (meetingId) await addToAgenda(meetingId, c.id);
      navigate(href('cases', c.id));
    } catch (err) {
      setServerError(errorBody(err));
    } finally {
      setBusy(undefined);
    }
  }

  async function onFile(file: File | undefined) {
    if (!file) return;
    setFileError(undefined);
    try {
      const t = await readFileText(file);
      setText(t);
      setChosenSample(undefined);
      setFilename(file.name);
      setFormat(formatFromFilename(file.name) ?? '');
      setPreview(undefined);
    } catch (err) {
      // Nothing of an earlier input stays behind to be saved in the file's place.
      setText('');
      setFilename(undefined);
      setFormat('');
      setPreview(undefined);
      setFileError(err instanceof Error ? err.message : String(err));
    }
  }
  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    void onFile(e.dataTransfer.files[0]);
  }

  return (
    <div className="intake">
      <h2>Profile intake</h2>
      <form onSubmit={onCheck} aria-label="Profile intake">
        <div className="row">
          <label htmlFor="case-id">
            Case ID (pseudonymous)
            <input id="case-id" value={caseId} onChange={(e) => setCaseId(e.target.value)} placeholder="e.g. MTB-2025-014" autoComplete="off" aria-describedby="case-id-hint" />
            <span id="case-id-hint" className="hint">
              never a name or record number; needed only to open a case
            </span>
          </label>
          <TumourTypeField id="tumour" label="Tumour type (OncoTree)" value={tumour} onChange={setTumour} types={types} free />
          <label htmlFor="format">
            Format
            <select id="format" value={format} onChange={(e) => setFormat(e.target.value)}>
              {FORMATS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label htmlFor="profile">
            Molecular profile: paste text or JSON, or drop a VCF, MAF, CNV or fusion file here
          </label>
          <textarea
            id="profile"
            rows={8}
            value={text}
            placeholder={`e.g.\n${EXAMPLE}`}
            onChange={(e) => {
              setText(e.target.value);
              setFilename(undefined);
            }}
            spellCheck={false}
            aria-describedby="profile-hint"
          />
          <p id="profile-hint" className="hint">
            One alteration per line or separated by “;”: <code>EGFR L858R; ERBB2 amplification; EML4::ALK; MSI-H; TMB 14.2</code>.{' '}
            {filename ? <strong>File: {filename}. </strong> : null}
            <button type="button" className="link-button" onClick={() => fileInput.current?.click()}>
              Choose a file…
            </button>
            <input ref={fileInput} type="file" hidden accept=".vcf,.vcf.gz,.maf,.txt,.tsv,.csv,.json,.jsonl,.gz" onChange={(e) => void onFile(e.target.files?.[0])} aria-label="Profile file" />
          </p>
          {fileError && (
            <p role="alert" className="error inline">
              {fileError}
            </p>
          )}
          {samples.samples.length > 1 && <SampleToRead id="read-sample" file={samples} value={readSample} onChange={setChosenSample} />}
        </div>
        <div className="row actions">
          <button type="submit" disabled={!!busy}>
            Check profile
          </button>
          <button type="button" disabled={!!busy} onClick={onRank}>
            Rank therapies
          </button>
          <span className="spacer" />
          {meetings && meetings.length > 0 && (
            <label htmlFor="meeting">
              Put on the agenda of
              <select id="meeting" value={meetingId} onChange={(e) => setMeetingId(e.target.value)}>
                <option value="">(no meeting)</option>
                {meetings.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.date} · {m.board}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            disabled={!!busy || caseId.trim() === '' || text.trim() === ''}
            onClick={onCreate}
            title={caseId.trim() === '' ? 'give a case ID first' : text.trim() === '' ? 'give the profile first' : undefined}
          >
            Open case and rank
          </button>
          <span role="status" className="muted">
            {busy}
          </span>
        </div>
      </form>
      <ErrorMessage
        error={serverError}
        title={created ? `Case ${created} was saved, but not ranked or not put on the agenda: open it from the case list` : 'Nothing was saved; your input is kept'}
      />
      {preview && <PreviewView preview={preview} text={text} stale={stale} />}
      {ranked && preview?.parse && ranked.key === preview.of && (
        <section aria-label="Ranking" className="ranking-section">
          <h2>Ranking</h2>
          <RankingWorkbench key={ranked.key} profile={ranked.profile} onResult={(r) => setAgency(r.scoring.agency as 'FDA' | 'EMA')} />
        </section>
      )}
    </div>
  );
}

function AlterationChips({ alterations }: { alterations: ParseResult['alterations'] }) {
  if (alterations.length === 0) return <span className="muted">no alteration (skipped)</span>;
  return (
    <ul className="chips">
      {alterations.map((a) => (
        <li key={a.key}>
          <span className="alt-label">{a.label}</span> <span className={`driver ${driverStyle(a)}`}>{driverText(a)}</span>
          {!a.known && <span className="warn-text"> unknown gene: not in the gene table or the knowledge base</span>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Which sample name became which ID. mtbnet stores only the ID; the uploader may need the link
 * for their own records, so it is shown here once, folded (the intake may be on a shared screen).
 */
function SampleIdsNote({ entries }: { entries: SampleIdEntry[] }) {
  const n = entries.length;
  return (
    <details className="sample-ids">
      <summary>
        {n} sample name{n === 1 ? '' : 's'} in the input {n === 1 ? 'is' : 'are'} not stored: show which ID {n === 1 ? 'it becomes' : 'each becomes'}
      </summary>
      <p className="small">
        Only the ID is kept. Note the link in your own records if you need it; mtbnet cannot tell it to anyone later. The same name
        always gives the same pseudonym in this installation.
      </p>
      <table aria-label="Sample IDs">
        <thead>
          <tr>
            <th scope="col">Name in the input</th>
            <th scope="col">Stored as</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.sample}|${e.id}`}>
              <td>
                <code>{e.sample}</code>
              </td>
              <td>
                <code>{e.id}</code> <span className="small">{e.how === 'mapped' ? '(your ID)' : '(pseudonym)'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** What the readers understood: per line for text, per alteration for files, with errors and warnings beside their lines. */
export function PreviewView({ preview, text, stale }: { preview: Preview; text: string; stale: boolean }) {
  const lines = useMemo(() => inputLines(text), [text]);
  const byLine = new Map<number, string[]>();
  for (const d of [...(preview.error?.details ?? []), ...(preview.parse?.warnings ?? [])]) {
    if (d.line !== undefined) byLine.set(d.line, [...(byLine.get(d.line) ?? []), `${d.path ? `${d.path}: ` : ''}${d.message}`]);
  }
  const errorLines = new Set(preview.error?.details.flatMap((d) => (d.line !== undefined ? [d.line] : [])) ?? []);
  const unplaced = [...(preview.error?.details ?? []), ...(preview.parse?.warnings ?? [])].filter((d) => d.line === undefined);
  return (
    <section className="preview" aria-label="What was understood">
      <h2>
        What was understood {stale && <span className="warn-text small">(the input changed since: check again)</span>}
      </h2>
      {preview.error ? (
        <div role="alert" className="error">
          <strong>{preview.error.message}</strong>
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((d, i) => (
                <li key={i}>
                  {d.path ? `${d.path}: ` : ''}
                  {d.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        preview.parse && (
          <p>
            {preview.parse.alterations.length} alteration{preview.parse.alterations.length === 1 ? '' : 's'} read
            {preview.parse.profile.tumourType ? ` for ${preview.parse.profile.tumourType}` : ', no tumour type'}
            {preview.parse.warnings.length ? `, ${preview.parse.warnings.length} warning${preview.parse.warnings.length === 1 ? '' : 's'}` : ''}.
          </p>
        )
      )}
      {!preview.error && preview.parse?.sampleIds && preview.parse.sampleIds.length > 0 && <SampleIdsNote entries={preview.parse.sampleIds} />}
      {preview.lines ? (
        <table className="lines" aria-label="Input lines">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Input</th>
              <th scope="col">Read as</th>
            </tr>
          </thead>
          <tbody>
            {lines
              .filter((l) => l.kind !== 'blank')
              .map((l) => {
                const r = preview.lines!.get(l.line);
                const messages = byLine.get(l.line) ?? [];
                const bad = errorLines.has(l.line) || (r && !r.ok);
                return (
                  <tr key={l.line} className={bad ? 'bad' : undefined} data-line={l.line}>
                    <td className="num">{l.line}</td>
                    <td>
                      <code>{l.text}</code>
                    </td>
                    <td>
                      {l.kind === 'comment' ? (
                        <span className="muted">comment</span>
                      ) : l.kind === 'header' ? (
                        <span className="muted">header</span>
                      ) : r?.ok ? (
                        <AlterationChips alterations={r.alterations} />
                      ) : r ? (
                        <span className="line-error">{r.error.details.map((d) => d.message).join('; ') || r.error.message}</span>
                      ) : null}
                      {messages
                        .filter((m) => !(r && !r.ok && r.error.details.some((d) => m.endsWith(d.message))))
                        .map((m) => (
                          <div key={m} className={errorLines.has(l.line) ? 'line-error' : 'warn-text'}>
                            {m}
                          </div>
                        ))}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      ) : (
        <>
          {preview.parse && (
            <table className="lines" aria-label="Alterations read">
              <thead>
                <tr>
                  <th scope="col">Alteration</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Driver annotation</th>
                </tr>
              </thead>
              <tbody>
                {preview.parse.alterations.map((a) => (
                  <tr key={a.key}>
                    <td>{a.label}</td>
                    <td>{a.kind}</td>
                    <td>
                      <span className={`driver ${driverStyle(a)}`}>{driverText(a)}</span>
                      {!a.known && <span className="warn-text"> unknown gene</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {byLine.size > 0 && (
            <table className="lines" aria-label="Lines with problems">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Input</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {[...byLine.entries()]
                  .sort((a, b) => a[0] - b[0])
                  .slice(0, 200)
                  .map(([line, messages]) => (
                    <tr key={line} className={errorLines.has(line) ? 'bad' : undefined} data-line={line}>
                      <td className="num">{line}</td>
                      <td>
                        <code>{(lines[line - 1]?.text ?? '').slice(0, 160)}</code>
                      </td>
                      <td className={errorLines.has(line) ? 'line-error' : 'warn-text'}>{messages.join('; ')}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
