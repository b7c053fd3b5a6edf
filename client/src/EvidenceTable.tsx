/**
 * The evidence behind one therapy as text: what the network draws, readable without pointing at anything.
 * A randomised-comparison lift (`superiority`) is one more row, tagged, whose statement says what it beat.
 */
import type { RankResult, RankedTherapy } from '../../server/domain/result.ts';
import { Citations } from './Citations.tsx';
import { backboneText } from '../../server/domain/regimen.ts';

export interface EvidenceTableProps {
  therapy: RankedTherapy;
  result: RankResult;
  /** Show at most this many items (largest |contribution| first). */
  limit?: number;
}

export function EvidenceTable({ therapy, result, limit = Infinity }: EvidenceTableProps) {
  const labels = new Map(result.alterations.map((a) => [a.key, a.label]));
  const items = [...therapy.evidence].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return (
    <table className="evidence" aria-label={`Evidence for ${therapy.drugs.join(' + ')}`}>
      <thead>
        <tr>
          <th scope="col">Contribution</th>
          <th scope="col">Direction · level</th>
          <th scope="col">From</th>
          <th scope="col">Statement</th>
          <th scope="col">Citations</th>
        </tr>
      </thead>
      <tbody>
        {items.slice(0, limit).map((e) => (
          <tr key={e.id} data-evidence={e.id} className={e.superiority ? 'comparison' : undefined}>
            <td className={`num ${e.contribution < 0 ? 'neg' : 'pos'}`}>{e.contribution < 0 ? `−${Math.abs(e.contribution).toFixed(1)}` : `+${e.contribution.toFixed(1)}`}</td>
            <td>
              <span className={`dir ${e.direction}`}>{e.direction}</span> · {e.level}
              {e.inference && <span className="inferred-tag">inferred ({e.inference.kind})</span>}
              {e.superiority && <span className="comparison-tag">randomised: beat {e.superiority.comparator}</span>}
            </td>
            <td>
              {e.alterations.map((k) => labels.get(k) ?? k).join(', ')} → {e.biomarker}
              <div className="muted small">
                {e.variantMatch} match · {e.tumourMatch} tumour ({e.tumour})
              </div>
            </td>
            <td>
              {e.statement}
              {e.backbone && <div className="muted small backbone">{backboneText(e.backbone)}</div>}
            </td>
            <td>
              <Citations sources={e.sources as Array<Record<string, string>>} />
            </td>
          </tr>
        ))}
      </tbody>
      {items.length > limit && (
        <tfoot>
          <tr>
            <td colSpan={5} className="muted">
              {items.length - limit} more evidence items
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
