import { useState } from 'react';
import { MAF_SAMPLES_LISTED, type FileSamples } from './profile-input.ts';

/** Samples offered in a list; a file of more (a cohort's MAF) gets a field to type the barcode in, with suggestions. */
const LISTED = 200;

/**
 * Which sample of a file holding several to read: a VCF's sample columns (tumour and normal, two tumour samples), a
 * MAF's tumour sample barcodes, or a copy-number or fusion table's samples. A profile is one sample. Shown by the
 * intake and by a case's Add a profile; the name chooses only, and is not stored.
 */
export function SampleToRead({ id, file, value, onChange }: { id: string; file: FileSamples; value: string | undefined; onChange: (sample: string) => void }) {
  const { kind, samples } = file;
  const count = samples.length >= MAF_SAMPLES_LISTED ? `${MAF_SAMPLES_LISTED.toLocaleString('en')} or more` : String(samples.length);
  const label = `Sample to read (${count} in this ${kind}; the name chooses only and is not stored)`;
  if (samples.length > LISTED) {
    return <TypedSample id={id} label={label} what={kind === 'MAF' ? 'barcode' : 'name'} samples={samples} value={value} onChange={onChange} />;
  }
  return (
    <label htmlFor={id} className="read-sample">
      {label}
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose the tumour sample…</option>
        {samples.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A cohort's file (a MAF, a copy-number matrix): typing a name beats scrolling thousands, and the whole cohort is
 * for `mtbnet batch`. The field keeps what is typed (a sample is chosen only once it is one of the file's) and says
 * when it names none.
 */
function TypedSample({ id, label, what, samples, value, onChange }: { id: string; label: string; what: 'barcode' | 'name'; samples: readonly string[]; value: string | undefined; onChange: (sample: string) => void }) {
  const [typed, setTyped] = useState(value ?? '');
  const unknown = typed.trim() !== '' && value === undefined;
  return (
    <div className="read-sample">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        list={`${id}-list`}
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          onChange(e.target.value.trim());
        }}
        placeholder={`Type a sample ${what}`}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={`${id}-hint`}
      />
      <datalist id={`${id}-list`}>
        {samples.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <p id={`${id}-hint`} className={unknown ? 'hint warn' : 'hint'}>
        {unknown ? `No sample of this file has that ${what}. ` : ''}A profile is one sample. To rank every sample of a cohort, use{' '}
        <code>mtbnet batch --in FILE --out results.jsonl</code> (the README's Command line).
      </p>
    </div>
  );
}
