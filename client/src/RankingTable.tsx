import type { RankResult, RankedTherapy } from '../../server/domain/result.ts';

/** Props of the ranking table: the result to show, and which therapy is selected. */
export interface RankingTableProps {
  result: RankResult;
  selected?: string;
  onSelect?: (therapyId: string) => void;
}

const CLASS_LABEL: Record<RankedTherapy['class'], string> = {
  'on-label': 'on-label',
  'off-label': 'off-label',
  investigational: 'investigational',
  'not-recommended': 'not recommended',
};

function pmidsOf(t: RankedTherapy): string[] {
  return [...new Set(t.evidence.flatMap((e) => e.sources.flatMap((s) => ('pmid' in s ? [s.pmid] : []))))];
}

/** The ranked therapies, in order, with score parts, class, tier and citations. */
export function RankingTable({ result, selected, onSelect }: RankingTableProps) {
  if (result.therapies.length === 0) return <p role="status">No therapy matched this profile.</p>;
  return (
    <table className="ranking" aria-label="Ranked therapies">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Therapy</th>
          <th scope="col">Score</th>
          <th scope="col">+</th>
          <th scope="col">−</th>
          <th scope="col">Class</th>
          <th scope="col">Tier</th>
          <th scope="col">Alterations</th>
          <th scope="col">PMIDs</th>
        </tr>
      </thead>
      <tbody>
        {result.therapies.map((t, i) => (
          <tr
            key={t.id}
            className={t.id === selected ? 'selected' : undefined}
            onClick={() => onSelect?.(t.id)}
            data-therapy={t.id}
          >
            <td>{i + 1}</td>
            <th scope="row">{t.drugs.join(' + ')}</th>
            <td className="num">{t.score.toFixed(1)}</td>
            <td className="num">{t.positive.toFixed(1)}</td>
            <td className="num">{t.negative.toFixed(1)}</td>
            <td>
              <span className={`badge ${t.class}`}>{CLASS_LABEL[t.class]}</span>
            </td>
            <td>
              {t.tier}
              {t.oncokb ? ` · ${t.oncokb}` : ''}
            </td>
            <td>{t.alterations.join(', ')}</td>
            <td>
              {pmidsOf(t).map((p) => (
                <a key={p} href={`https://pubmed.ncbi.nlm.nih.gov/${p}/`} target="_blank" rel="noreferrer">
                  {p}{' '}
                </a>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
