/** Tumour-type pickers fed by GET /api/tumour-types: a free field with suggestions, or a select. */
import { useEffect, useState } from 'react';
import { tumourTypes, type TumourType } from './api.ts';

let cache: Promise<TumourType[]> | undefined;

/** The knowledge base's tumour types (fetched once; empty while loading or when the server is unreachable). */
export function useTumourTypes(): TumourType[] {
  const [types, setTypes] = useState<TumourType[]>([]);
  useEffect(() => {
    let live = true;
    cache ??= tumourTypes().catch(() => {
      cache = undefined;
      return [];
    });
    cache.then((t) => live && setTypes(t));
    return () => {
      live = false;
    };
  }, []);
  return types;
}

export interface TumourTypeFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (code: string) => void;
  types: TumourType[];
  /** A free text field with suggestions instead of a select. */
  free?: boolean;
}

export function TumourTypeField({ id, label, value, onChange, types, free }: TumourTypeFieldProps) {
  const known = types.find((t) => t.code === value.trim().toUpperCase());
  if (free) {
    return (
      <label htmlFor={id}>
        {label}
        <input id={id} value={value} onChange={(e) => onChange(e.target.value)} list={`${id}-list`} placeholder="e.g. LUAD" autoComplete="off" aria-describedby={`${id}-hint`} />
        <datalist id={`${id}-list`}>
          {types.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
        </datalist>
        <span id={`${id}-hint`} className={`hint${value.trim() && types.length > 0 && !known ? ' warn' : ''}`}>
          {value.trim() === '' ? 'OncoTree code; optional' : known ? known.name : types.length > 0 ? 'not in the knowledge base: evidence counts as "other tumour type"' : ''}
        </span>
      </label>
    );
  }
  const options = known || value === '' ? types : [{ code: value, name: 'not in the knowledge base', parent: null }, ...types];
  return (
    <label htmlFor={id}>
      {label}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">(none)</option>
        {options.map((t) => (
          <option key={t.code} value={t.code}>
            {t.code} · {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}
