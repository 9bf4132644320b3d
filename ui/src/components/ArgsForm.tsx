import { useId } from 'react';
import { inputKind, validateArg } from '../vis';

export interface ArgField {
  name: string;
  /** vis variable type (PX_INT64…) or PxL annotation (int, str…). */
  type: string;
  description: string;
  validValues: string[];
  placeholder: string;
}

interface Props {
  fields: ArgField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  onSubmit: () => void;
}

/** Script arguments, one typed input per variable or parameter. */
export function ArgsForm({ fields, values, onChange, onSubmit }: Props) {
  const id = useId();
  if (fields.length === 0) return null;
  return (
    <form
      className="args"
      aria-label="Script arguments"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {fields.map((f) => {
        const kind = inputKind(f.type);
        const v = values[f.name] ?? '';
        const err = v === '' ? null : validateArg(kind, v);
        const fid = `${id}-${f.name}`;
        return (
          <div key={f.name} className="arg">
            <label htmlFor={fid} title={f.description || f.type}>
              {f.name}
            </label>
            {f.validValues.length > 0 || kind === 'bool' ? (
              <select id={fid} value={v} onChange={(e) => onChange(f.name, e.target.value)}>
                {v === '' && <option value="">(default)</option>}
                {(f.validValues.length > 0 ? f.validValues : ['true', 'false']).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={fid}
                type="text"
                inputMode={kind === 'int' || kind === 'float' ? 'decimal' : undefined}
                value={v}
                placeholder={f.placeholder}
                onChange={(e) => onChange(f.name, e.target.value)}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${fid}-err` : undefined}
              />
            )}
            {err && (
              <span id={`${fid}-err`} className="error small">
                {err}
              </span>
            )}
          </div>
        );
      })}
      <button type="submit">Apply</button>
    </form>
  );
}
