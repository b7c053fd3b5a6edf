/**
 * Which sample of a VCF holding several to read (tumour and normal, two tumour samples): a VCF is read one sample at
 * a time. Shown by the intake and by a case's Add a profile; the name chooses only, and is not stored.
 */
export function SampleToRead({ id, samples, value, onChange }: { id: string; samples: readonly string[]; value: string | undefined; onChange: (sample: string) => void }) {
  return (
    <label htmlFor={id} className="read-sample">
      Sample to read ({samples.length} in this VCF; the name chooses only and is not stored)
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
