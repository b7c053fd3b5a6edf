/**
 * The server's privacy warnings after a save (docs/security.md, Privacy): a
 * write whose free text looks like it holds a personal identifier (a date of
 * birth, a record number, a name after "patient", ...) is stored as sent, and
 * the answer carries `privacyWarnings`, each naming the field and the kind of
 * pattern, never the text. This banner shows them where the user saved, and
 * stays until dismissed or another save.
 */
export interface PrivacyWarningsProps {
  /** What was saved, for the heading: "Decision", "Follow-up". */
  what: string;
  /** The answer's `privacyWarnings`; nothing is shown without any. */
  warnings: readonly string[] | undefined;
  onDismiss?: () => void;
}

/** "privacy: rationale contains what looks like a date of birth; ..." -> field and finding. */
export function describePrivacyWarning(message: string): { field: string | undefined; text: string } {
  const m = /^privacy: (\S+) contains what looks like (.+?);/.exec(message);
  if (!m) return { field: undefined, text: message.replace(/^privacy:\s*/, '') };
  return { field: m[1], text: `looks like ${m[2]}` };
}

export function PrivacyWarnings({ what, warnings, onDismiss }: PrivacyWarningsProps) {
  if (!warnings || warnings.length === 0) return null;
  return (
    <div role="alert" aria-label="Privacy warning" className="privacy-warning">
      <strong>{what} saved, but it may identify the patient</strong>
      <ul>
        {warnings.map((w, i) => {
          const { field, text } = describePrivacyWarning(w);
          return (
            <li key={i} data-field={field}>
              {field ? (
                <>
                  <code>{field}</code> {text}
                </>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
      <p className="small">
        mtbnet holds molecular data only: no names, birth dates or record numbers. The text was stored as written; if it
        identifies the patient, have it corrected under your board's data-protection procedure, and leave such details out next time.
      </p>
      {onDismiss && (
        <button type="button" className="secondary" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
