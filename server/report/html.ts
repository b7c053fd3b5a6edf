/**
 * The HTML report: one self-contained document (inline CSS and SVG, no
 * scripts, no external assets) that reads on screen and prints on A4; the PDF
 * is Chromium printing exactly this. Every value from the case or the
 * knowledge base is escaped. Deterministic: the same model gives the same bytes.
 */
import { citation, type ReportAlteration, type ReportModel, type ReportTherapy } from './model.ts';
import { escapeHtml as h } from './escape.ts';
import { backboneText } from '../domain/regimen.ts';
import { driverStyle, driverText } from '../domain/driver-text.ts';

/** Fixed decimals without a negative zero ("-0.0" prints as "0.0"). */
export function num(x: number, digits = 1): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
const sign = (x: number) => (x > 0 ? `+${num(x)}` : x < 0 ? `−${num(-x)}` : num(0));

/** "2025-03-04T10:15:00.000Z" -> "2025-03-04 10:15 UTC"; a bare date stays a date. */
export function displayDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(iso);
  if (!m) return iso;
  return m[2] ? `${m[1]} ${m[2]} UTC` : m[1]!;
}

const CLASS_TEXT: Record<string, string> = {
  'on-label': 'on-label',
  'off-label': 'off-label',
  investigational: 'investigational',
  'not-recommended': 'not recommended',
};
/** An identifier that may wrap after its hyphens, colons and dots rather than mid-word. */
const ident = (id: string) => h(id).replace(/([-:.])/g, '$1<wbr>');
const badge = (cls: string | null) => (cls ? `<span class="badge ${h(cls)}">${h(CLASS_TEXT[cls] ?? cls)}</span>` : '—');

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 10.5pt; color: #111; background: #fff; line-height: 1.38; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 1.7rem; margin: 0.15rem 0 0.4rem; }
h2 { font-size: 1.2rem; margin: 1.4rem 0 0.5rem; padding-bottom: 0.15rem; border-bottom: 2px solid #1d4f91; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1rem; margin: 1rem 0 0.35rem; break-after: avoid; page-break-after: avoid; }
p { margin: 0.3rem 0; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; overflow-wrap: anywhere; }
table.evidence { table-layout: fixed; }
a { color: #1d4f91; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.78rem; color: #444; margin: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 0.15rem 0.8rem; margin: 0.4rem 0 0.6rem; }
.facts dt { font-weight: 600; color: #333; }
.facts dd { margin: 0; }
.box { border: 1px solid #999; border-left: 4px solid #1d4f91; padding: 0.5rem 0.7rem; margin: 0.6rem 0; break-inside: avoid; page-break-inside: avoid; }
.disclaimer { border-left-color: #8a5a00; background: #fff8e6; font-size: 0.9rem; }
.summary strong { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: 0.3rem 0 0.6rem; font-size: 0.9rem; }
thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: 0.22rem 0.35rem; border-bottom: 1px solid #ccc; }
thead th { border-bottom: 2px solid #555; background: #f0f2f5; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num.wrap { white-space: normal; hyphens: manual; }
.badge { display: inline-block; padding: 0 0.35rem; border-radius: 0.2rem; font-size: 0.82rem; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.on-label { background: #0a6b2b; }
.badge.off-label { background: #8a5a00; }
.badge.investigational { background: #3d3d8f; }
.badge.not-recommended { background: #a30000; }
.label-basis { margin: 0.2rem 0 0.4rem; font-size: 0.9rem; }
.dir { font-weight: 600; white-space: nowrap; }
.dir.sensitivity { color: #0a7a32; }
.dir.resistance { color: #b00020; }
.dir.no-benefit { color: #a34700; }
.dir.adverse { color: #7a3e00; }
.driver.unknown { color: #a34700; font-weight: 600; }
.muted { color: #555; }
.small { font-size: 0.85rem; }
.statement { margin: 0 0 0.15rem; }
.cites { font-size: 0.85rem; color: #333; }
figure { margin: 0.4rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; max-height: 235mm; display: block; }
figcaption { font-size: 0.85rem; color: #444; margin-top: 0.2rem; }
.therapy { break-inside: auto; }
.therapy h3 .score { font-weight: 400; color: #333; font-size: 0.9rem; }
.compact td { font-size: 0.85rem; }
ul.plain { margin: 0.2rem 0; padding-left: 1.1rem; }
footer.end { margin-top: 1.2rem; }
@media print {
  html { font-size: 9.5pt; }
  body { padding: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
  .page-break { break-before: page; page-break-before: always; }
}
`;

function profileTable(alterations: ReportAlteration[]): string {
  if (alterations.length === 0) return '<p class="muted">The profile holds no alteration.</p>';
  const rows = alterations
    .map((a) => {
      const details = [
        a.change && !a.key.endsWith(a.change) ? `<code>${h(a.change)}</code>` : '',
        a.transcript ? `<span class="muted">${h(a.transcript)}</span>` : '',
        a.exon !== undefined ? `exon ${h(a.exon)}` : '',
        a.partner ? `partner ${h(a.partner)}` : '',
      ].filter(Boolean).join(' · ');
      return `<tr><th scope="row">${h(a.label)}</th><td><code>${h(a.key)}</code>${details ? `<br><span class="small">${details}</span>` : ''}</td><td>${h(a.kind)}</td>` +
        `<td class="driver ${h(driverStyle(a))}">${h(driverText(a))}${driverStyle(a) === 'unknown' ? ' (VUS)' : ''}</td>` +
        `<td class="num">${a.vaf !== undefined ? `${num(a.vaf * 100, 1)}%` : '—'}</td><td>${h(a.origin ?? '—')}</td>` +
        `<td class="small">${a.matched.length ? a.matched.map(h).join('<br>') : '<span class="muted">none</span>'}</td></tr>`;
    })
    .join('\n');
  return `<table aria-label="Alterations">
<thead><tr><th scope="col">Alteration</th><th scope="col">Canonical key</th><th scope="col">Type</th><th scope="col">Driver annotation</th><th scope="col" class="num">VAF</th><th scope="col">Origin</th><th scope="col">Biomarkers met</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function decisionSection(m: ReportModel): string {
  const d = m.decision;
  if (!d) return '<p class="muted">No board decision has been recorded for this case.</p>';
  const meeting = d.meeting ? `${h(d.meeting.board)}, ${h(d.meeting.date)}` : 'meeting not recorded';
  const rank = d.rank !== null ? `rank ${d.rank} of the ranking` : 'not in the ranking';
  const follow = d.followUp
    ? d.followUp.started
      ? `Treatment started${d.followUp.startedOn ? ` on ${h(d.followUp.startedOn)}` : ''}; best response ${h(d.followUp.bestResponse ?? 'not yet assessed')}${d.followUp.progressionDate ? `; progression on ${h(d.followUp.progressionDate)}` : ''}.`
      : `Treatment not started: ${h(d.followUp.reasonNotStarted ?? '')}`
    : '';
  return `<dl class="facts">
<dt>Therapy chosen</dt><dd><strong>${h(d.label)}</strong> ${badge(d.class)} ${d.tier ? `tier ${h(d.tier)}` : ''}</dd>
<dt>Meeting</dt><dd>${meeting}</dd>
<dt>Position</dt><dd>${rank}; ${d.followedTopRank ? 'the board followed the top rank' : `the top rank was ${h(d.topTherapyId ?? 'none')}`}</dd>
<dt>Recorded</dt><dd>${h(displayDate(d.recordedAt))} by ${h(d.recordedBy)}</dd>
</dl>
<p><strong>Rationale.</strong> ${h(d.rationale)}</p>
${d.evidenceCited.length ? `<p><strong>Evidence cited.</strong> ${d.evidenceCited.map((e) => `<code>${h(e)}</code>`).join(', ')}</p>` : ''}
${d.alternatives.length ? `<p><strong>Alternatives considered.</strong> ${d.alternatives.map((a) => h(a.join(' + '))).join('; ')}</p>` : ''}
${d.dissent ? `<p><strong>Dissent.</strong> ${h(d.dissent)}</p>` : ''}
${follow ? `<p><strong>Follow-up.</strong> ${follow}</p>` : ''}`;
}

function rankingTable(therapies: ReportTherapy[]): string {
  if (therapies.length === 0) return '<p class="muted">No therapy is supported by the knowledge base for this profile.</p>';
  const rows = therapies
    .map((t) =>
      `<tr><td class="num">${t.rank}</td><th scope="row">${h(t.label)}</th><td>${badge(t.class)}${t.labelled ? '<br><span class="small muted">by label</span>' : ''}</td><td>${h(t.tier)}</td><td>${h(t.oncokb ?? '—')}</td>` +
      `<td class="num"><strong>${num(t.score)}</strong></td><td class="num">${sign(t.positive)}</td><td class="num">${sign(t.negative)}</td>` +
      `<td class="num">${t.evidence.filter((e) => !e.superiority).length}</td><td class="small">${t.alterations.map(h).join(', ')}</td></tr>`)
    .join('\n');
  return `<table aria-label="Ranked therapies">
<thead><tr><th scope="col" class="num">#</th><th scope="col">Therapy</th><th scope="col">Class</th><th scope="col">Tier (ESCAT-like)</th><th scope="col">OncoKB-like</th><th scope="col" class="num">Score</th><th scope="col" class="num">For</th><th scope="col" class="num">Against</th><th scope="col" class="num">Items</th><th scope="col">Alterations</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function cites(sources: ReadonlyArray<Record<string, string | undefined>>): string {
  return sources
    .map((s) => {
      const c = citation(s);
      return c.url ? `<a href="${h(c.url)}">${h(c.text)}</a>` : h(c.text);
    })
    .join(', ');
}

function evidenceDetail(t: ReportTherapy): string {
  const rows = t.evidence
    .map((e) => {
      const how = e.inference
        ? `inferred (${h(e.inference.kind)}: ${h(e.inference.genes.join(' → '))})`
        : e.superiority
          ? `randomised comparison: beat ${h(e.superiority.comparator)} (${h(e.superiority.evidence)})`
          : `${h(e.variantMatch)} / ${h(e.tumourMatch)}`;
      return `<tr><td><code>${ident(e.id)}</code><br><span class="small muted">${h(e.origin)}${e.unverified ? ', not yet corroborated' : ''}</span></td>` +
        `<td>${h(e.level)}<br><span class="dir ${h(e.direction)}">${h(e.direction)}</span></td>` +
        `<td class="small">${h(e.biomarker)}<br><span class="muted">${h(e.alterations.join(', '))} · ${h(e.tumour)}</span></td>` +
        `<td class="small">${how}</td><td class="num">${sign(e.contribution)}</td>` +
        `<td><p class="statement">${h(e.statement)}</p>${e.backbone ? `<p class="small muted">${h(backboneText(e.backbone))}</p>` : ''}<p class="cites">${cites(e.sources as Array<Record<string, string>>) || '<span class="muted">no citation</span>'}</p></td></tr>`;
    })
    .join('\n');
  return `<article class="therapy" id="t-${h(t.id.replace(/[^A-Za-z0-9_-]/g, '_'))}">
<h3>${t.rank}. ${h(t.label)} ${badge(t.class)} <span class="score">tier ${h(t.tier)} · score ${num(t.score)} (for ${sign(t.positive)}, against ${sign(t.negative)})</span></h3>
${t.labelText ? `<p class="label-basis">${h(t.labelText)}</p>\n` : ''}<table aria-label="Evidence for ${h(t.label)}" class="evidence">
<colgroup><col style="width: 19%"><col style="width: 10%"><col style="width: 19%"><col style="width: 11%"><col style="width: 9%"><col style="width: 32%"></colgroup>
<thead><tr><th scope="col">Evidence</th><th scope="col">Level</th><th scope="col">Biomarker · alterations · tumour</th><th scope="col">Match (variant / tumour)</th><th scope="col" class="num wrap">Contri&shy;bution</th><th scope="col">Statement and citations</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</article>`;
}

function evidenceCompact(therapies: ReportTherapy[]): string {
  if (therapies.length === 0) return '';
  const rows = therapies
    .map((t) => {
      const items = t.evidence
        .map((e) => `<code>${ident(e.id)}</code> <span class="muted">(${h(e.level)}, ${h(e.direction)}, ${sign(e.contribution)})</span> ${cites(e.sources as Array<Record<string, string>>)}`)
        .join('<br>');
      return `<tr><td class="num">${t.rank}</td><th scope="row">${h(t.label)}</th><td class="small">${items}</td></tr>`;
    })
    .join('\n');
  return `<h3>Further therapies: evidence and citations</h3>
<table class="compact" aria-label="Evidence of further therapies">
<thead><tr><th scope="col" class="num">#</th><th scope="col">Therapy</th><th scope="col">Evidence (level, direction, contribution) and citations</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

/** A CSS string literal (for @page margin boxes). */
const cssString = (s: string) => `"${s.replace(/[\\"]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;

/** Print pages: A4, and a footer on every page with the case id, the disclaimer's gist and page n of m. */
function pageCss(caseId: string): string {
  return `@page { size: A4; margin: 14mm 12mm 16mm 12mm;
  @bottom-left { content: ${cssString(`Case ${caseId} · mtbnet report · supports, does not replace, clinical judgement`)}; font-size: 7.5pt; color: #444; font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 7.5pt; color: #444; font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
}`;
}

/** The report as one HTML document. */
export function renderHtml(m: ReportModel): string {
  const top = m.therapies[0];
  const tumour = m.tumourType.code ? `${h(m.tumourType.code)}${m.tumourType.name ? ` (${h(m.tumourType.name)})` : ''}` : 'not given';
  const sample = m.sample.seq !== null ? `profile ${m.sample.seq}${m.sample.label ? ` (${h(m.sample.label)})` : ''}${m.sample.collectedOn ? `, collected ${h(m.sample.collectedOn)}` : ''}` : '—';
  const detailed = m.therapies.filter((t) => t.detailed);
  const rest = m.therapies.filter((t) => !t.detailed);
  const summary = top
    ? `<p>Top-ranked therapy: <strong>${h(top.label)}</strong> ${badge(top.class)} tier ${h(top.tier)}, score ${num(top.score)}, for ${h(top.alterations.join(', '))}. ${m.therapies.length} therapies ranked from ${m.alterations.length} alterations.</p>`
    : `<p>No therapy is supported by the knowledge base for the ${m.alterations.length} alterations of this profile.</p>`;
  const decided = m.decision
    ? `<p>Board decision: <strong>${h(m.decision.label)}</strong>${m.decision.meeting ? ` (${h(m.decision.meeting.board)}, ${h(m.decision.meeting.date)})` : ''}${m.decision.followedTopRank ? ', the top rank' : m.decision.rank ? `, rank ${m.decision.rank}` : ', not in the ranking'}.</p>`
    : '<p>No board decision recorded yet.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(m.generator.name)} ${h(m.generator.version)}">
<title>Tumour board report: case ${h(m.caseId)}</title>
<style>${CSS}${pageCss(m.caseId)}</style>
</head>
<body>
<header>
<p class="kicker">mtbnet · molecular tumour board report</p>
<h1>Case <span class="case-id">${h(m.caseId)}</span></h1>
<dl class="facts">
<dt>Tumour type</dt><dd>${tumour}</dd>
<dt>Date of ranking</dt><dd>${h(displayDate(m.date))}</dd>
${m.status !== null ? `<dt>Profile</dt><dd>${sample}</dd>
<dt>Case status</dt><dd>${h(m.status)}</dd>` : `<dt>Source</dt><dd>profile file (not a stored case)</dd>
<dt>Alterations</dt><dd>${m.alterations.length}</dd>`}
<dt>Knowledge base</dt><dd>${h(m.kb.name)} ${h(m.kb.version)}</dd>
<dt>Scoring</dt><dd>version ${h(m.scoring.version)}, ${h(m.scoring.agency)} approvals</dd>
</dl>
</header>
<aside class="box disclaimer" aria-label="Disclaimer"><strong>Decision support, not a decision.</strong> ${h(m.disclaimer)}</aside>
<section class="box summary" aria-label="Summary">
${summary}
${decided}
</section>

<section aria-labelledby="s-profile">
<h2 id="s-profile">1. Molecular profile</h2>
${profileTable(m.alterations)}
<p class="small muted">Driver annotation from the knowledge base: oncogenic (known hotspot or driver), likely oncogenic, or unknown significance; a variant of unknown significance never ranks a therapy high on its own. A status result (MSI, MMR, TMB, HRD, promoter methylation) reads predictive status when its value is the actionable one (MSI-H, dMMR, high TMB, HRD positive, promoter methylated), status result otherwise.</p>
</section>

<section aria-labelledby="s-decision">
<h2 id="s-decision">2. Board decision</h2>
${decisionSection(m)}
</section>

<section aria-labelledby="s-ranking">
<h2 id="s-ranking">3. Ranked therapies</h2>
${rankingTable(m.therapies)}
<p class="small muted">Score = evidence for − evidence against; each evidence item counts level × variant match × tumour match × driver × quality, diminishing within a (biomarker, direction) group; a therapy that beat another in a randomised trial counts at least that therapy's evidence for (one row: randomised comparison), which orders the ranking without changing class or tier. On-label: approved by ${h(m.scoring.agency)} for this biomarker in this tumour type (or tumour-agnostic), or labelled for this tumour type without any biomarker; off-label: approved for another indication; investigational: no approval.</p>
</section>

<section aria-labelledby="s-network">
<h2 id="s-network">4. Evidence network of the top ${m.network.therapies.length} therapies</h2>
<figure>
${m.network.svg}
<figcaption>Alterations (left) meet biomarkers, which carry evidence for therapies (right); inferred paths run through genes and drugs (dashed). ${m.network.nodes} nodes, ${m.network.links} links; the same layout as the board application (seeded, so every print is the same).</figcaption>
</figure>
</section>

<section aria-labelledby="s-evidence">
<h2 id="s-evidence">5. Evidence</h2>
${detailed.map(evidenceDetail).join('\n')}
${evidenceCompact(rest)}
</section>

<section aria-labelledby="s-provenance">
<h2 id="s-provenance">6. Provenance</h2>
<dl class="facts">
<dt>Knowledge base</dt><dd>${h(m.kb.name)} ${h(m.kb.version)}</dd>
<dt>Hash</dt><dd><code>${h(m.kb.hash)}</code></dd>
<dt>Scoring version</dt><dd>${h(m.scoring.version)} (agency ${h(m.scoring.agency)})</dd>
<dt>Ranking snapshot</dt><dd>${m.snapshotId ? `<code>${h(m.snapshotId)}</code>` : 'not stored (ranked for this report)'}</dd>
<dt>Generated by</dt><dd>${h(m.generator.name)} ${h(m.generator.version)}</dd>
<dt>Date of ranking</dt><dd>${h(m.date)}</dd>
</dl>
${m.notes.length ? `<ul class="plain small">${m.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}
${m.warnings.length ? `<h3>Warnings from reading and ranking</h3><ul class="plain small">${m.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>` : ''}
</section>

<footer class="end box disclaimer"><strong>Disclaimer.</strong> ${h(m.disclaimer)}</footer>
</body>
</html>
`;
}
