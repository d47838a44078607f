import type { ReactNode } from "react";

/** A group of checkboxes (several of a set): a fieldset whose legend names them, an optional hint. */
export function CheckboxGroup<T extends string>({
  legend,
  hint,
  options,
  value,
  onChange,
  testId,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  options: readonly { value: T; label: string }[];
  value: readonly T[];
  onChange: (next: T[]) => void;
  testId?: string;
}) {
  const toggle = (v: T, on: boolean) =>
    onChange(on ? [...value.filter((x) => x !== v), v] : value.filter((x) => x !== v));
  return (
    <fieldset className="ads-choices" data-testid={testId}>
      <legend className="ui-field-label">{legend}</legend>
      {hint ? <small className="ui-field-hint">{hint}</small> : null}
      <div className="ads-choices-list">
        {options.map((o) => (
          <label key={o.value} className="ads-check">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** One checkbox with its label (and a hint under it). */
export function Checkbox({
  label,
  hint,
  checked,
  onChange,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="ads-check ads-check-single">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        {hint ? <small className="ui-field-hint">{hint}</small> : null}
      </span>
    </label>
  );
}
