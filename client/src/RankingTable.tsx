import type { RankResult, RankedTherapy, TherapyClass } from '../../server/domain/result.ts';
import { pubmedUrl } from './Citations.tsx';
import { labelledText } from '../../server/domain/label-text.ts';

export const CLASS_LABEL: Record<TherapyClass, string> = {
  'on-label': 'on-label',
  'off-label': 'off-label',
  investigational: 'investigational',
  'not-recommended': 'not recommended',
};
export const CLASSES = Object.keys(CLASS_LABEL) as TherapyClass[];

/** How a therapy's evidence was found: read from the knowledge base, inferred (target / pathway), or both. */
export function inference(t: RankedTherapy): 'curated' | 'inferred' | 'mixed' {
  const inferred = t.evidence.filter((e) => e.inference).length;
  return inferred === 0 ? 'curated' : inferred === t.evidence.length ? 'inferred' : 'mixed';
}

/** The randomised comparison that lifted a therapy (it beat `comparator` in a trial), if any. */
export function liftOf(t: RankedTherapy): NonNullable<RankedTherapy['evidence'][number]['superiority']> | undefined {
  for (const e of t.evidence) if (e.superiority) return e.superiority;
  return undefined;
}

/** The therapies of the given classes, in rank order, each with its 1-based rank in the full list. */
export function filterTherapies(therapies: readonly RankedTherapy[], classes: ReadonlySet<TherapyClass>): Array<{ rank: number; therapy: RankedTherapy }> {
  return therapies.flatMap((therapy, i) => (classes.has(therapy.class) ? [{ rank: i + 1, therapy }] : []));
}

export function pmidsOf(t: RankedTherapy): string[] {
  return [...new Set(t.evidence.flatMap((e) => e.sources.flatMap((s) => ('pmid' in s ? [s.pmid] : []))))];
}

/** Props of the ranking table: the result to show, which therapy is selected, and which classes are shown. */
export interface RankingTableProps {
  result: RankResult;
  selected?: string;
  onSelect?: (therapyId: string) => void;
  /** Classes to show; all when absent. */
  classes?: ReadonlySet<TherapyClass>;
  /** Show at most this many rows. */
  limit?: number;
  /** Caption read by screen readers and shown above the table. */
  caption?: string;
}

/** The ranked therapies, in order, with score parts, class, tier, driving alterations and citations. */
export function RankingTable({ result, selected, onSelect, classes, limit = Infinity, caption }: RankingTableProps) {
  if (result.therapies.length === 0) return <p role="status">No therapy matched this profile.</p>;
  const rows = filterTherapies(result.therapies, classes ?? new Set(CLASSES));
  const labels = new Map(result.alterations.map((a) => [a.key, a.label]));
  if (rows.length === 0) return <p role="status">No therapy of the selected classes. {result.therapies.length} therapies are hidden by the filter.</p>;
  return (
    <table className="ranking" aria-label={caption ?? 'Ranked therapies'}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Therapy</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col" className="num">
            <abbr title="positive part: supporting evidence">+</abbr>
          </th>
          <th scope="col" className="num">
            <abbr title="negative part: resistance and no-benefit evidence">−</abbr>
          </th>
          <th scope="col">Class</th>
          <th scope="col">Tier</th>
          <th scope="col">Driving alterations</th>
          <th scope="col">PMIDs</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, limit).map(({ rank, therapy: t }) => {
          const how = inference(t);
          const lift = liftOf(t);
          const pmids = pmidsOf(t);
          return (
            <tr key={t.id} className={t.id === selected ? 'selected' : undefined} data-therapy={t.id} onClick={() => onSelect?.(t.id)}>
              <td className="num">{rank}</td>
              <th scope="row">
                {onSelect ? (
                  <button type="button" className="therapy-button" aria-pressed={t.id === selected} onClick={(e) => (e.stopPropagation(), onSelect(t.id))}>
                    {t.drugs.join(' + ')}
                  </button>
                ) : (
                  t.drugs.join(' + ')
                )}
                {how !== 'curated' && (
                  <span className="inferred-tag" title="found through drug targets or signalling pathways, not direct evidence">
                    {how === 'inferred' ? 'inferred' : 'partly inferred'}
                  </span>
                )}
                {lift && (
                  <span className="comparison-tag" title="ranked at least as high as the therapy it beat in a randomised trial (the score, not the class or tier)">
                    beat {lift.comparator}
                  </span>
                )}
              </th>
              <td className="num score">{t.score.toFixed(1)}</td>
              <td className="num pos">{t.positive.toFixed(1)}</td>
              <td className="num neg">{t.negative === 0 ? '0.0' : `−${Math.abs(t.negative).toFixed(1)}`}</td>
              <td>
                <span className={`badge ${t.class}`} title={t.labelled ? labelledText(t.labelled) : undefined}>
                  {CLASS_LABEL[t.class]}
                </span>
                {t.labelled && <span className="muted small"> by label</span>}
              </td>
              <td>
                {t.tier}
                {t.oncokb ? <span className="muted"> · OncoKB {t.oncokb}</span> : ''}
              </td>
              <td>{t.alterations.map((k) => labels.get(k) ?? k).join(', ')}</td>
              <td className="pmids">
                {pmids.slice(0, 4).map((p) => (
                  <a key={p} href={pubmedUrl(p)} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()}>
                    {p}
                  </a>
                ))}
                {pmids.length > 4 && <span className="muted"> +{pmids.length - 4}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
