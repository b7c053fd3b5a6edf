import type { ApiErrorBody } from './api.ts';

/** A server or reader error, with every detail it gave; never a blank page. */
export function ErrorMessage({ error, title }: { error: ApiErrorBody['error'] | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      <strong>
        {title ? `${title}: ` : ''}
        {error.message}
      </strong>
      {error.details.length > 0 && (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>
              {d.line !== undefined ? `line ${d.line}: ` : ''}
              {d.path ? `${d.path}: ` : ''}
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
