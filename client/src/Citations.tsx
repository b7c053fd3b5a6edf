/** Citations of an evidence item: PMIDs link to PubMed, NCT ids to ClinicalTrials.gov. */
export interface CitationsProps {
  sources: ReadonlyArray<Record<string, string | undefined>> | undefined;
}

export function pubmedUrl(pmid: string): string {
  return `https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(pmid)}/`;
}

export function Citations({ sources }: CitationsProps) {
  if (!sources || sources.length === 0) return <span className="muted">no citation (inferred)</span>;
  return (
    <ul className="citations">
      {sources.map((s, i) => (
        <li key={i}>
          {s.pmid ? (
            <a href={pubmedUrl(s.pmid)} target="_blank" rel="noreferrer">
              PMID {s.pmid}
            </a>
          ) : s.nct ? (
            <a href={`https://clinicaltrials.gov/study/${encodeURIComponent(s.nct)}`} target="_blank" rel="noreferrer">
              {s.nct}
            </a>
          ) : s.url ? (
            <a href={s.url} target="_blank" rel="noreferrer">
              {new URL(s.url).hostname}
            </a>
          ) : s.label ? (
            <span>{s.label} label</span>
          ) : null}
          {s.note ? <span className="muted"> ({s.note})</span> : null}
        </li>
      ))}
    </ul>
  );
}
