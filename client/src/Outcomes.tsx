/** The outcome summary: how often the board followed the top rank, and responses by therapy, class and tier. */
import { outcomes } from './api.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { useAsync } from './hooks.ts';

const RESPONSES = ['CR', 'PR', 'SD', 'PD', 'NE', 'none'] as const;
type Counts = { decisions: number; followedTopRank: number; responses: Partial<Record<(typeof RESPONSES)[number], number>> };

function CountsTable({ title, rows }: { title: string; rows: Array<[string, Counts]> }) {
  return (
    <table aria-label={title}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title.replace(/^By /, '')}</th>
          <th scope="col" className="num">Decisions</th>
          <th scope="col" className="num">Top rank followed</th>
          {RESPONSES.map((r) => (
            <th scope="col" className="num" key={r}>
              {r === 'none' ? 'no response yet' : r}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, c]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{c.decisions}</td>
            <td className="num">{c.followedTopRank}</td>
            {RESPONSES.map((r) => (
              <td className="num" key={r}>
                {c.responses[r] ?? 0}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Outcomes() {
  const s = useAsync(outcomes, []);
  if (s.error) return <ErrorMessage error={s.error} title="Could not load the outcome summary" />;
  if (!s.data) return <p role="status">Loading…</p>;
  const d = s.data;
  return (
    <div className="outcomes">
      <h2>Outcome summary</h2>
      <p className="big-figures">
        <span>
          <strong>{d.cases}</strong> cases
        </span>
        <span>
          <strong>{d.decisions}</strong> decisions
        </span>
        <span>
          <strong>{d.followedTopRankRate === null ? '—' : `${Math.round(d.followedTopRankRate * 100)}%`}</strong> followed the top rank
        </span>
      </p>
      <CountsTable title="By therapy" rows={d.byTherapy.map((t) => [t.therapy, t])} />
      <CountsTable title="By class" rows={Object.entries(d.byClass)} />
      <CountsTable title="By tier" rows={Object.entries(d.byTier)} />
    </div>
  );
}
