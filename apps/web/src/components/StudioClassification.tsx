import {
  type Category,
  MATURITY_OPTIONS,
  type Maturity,
  VISIBILITY_OPTIONS,
  type Visibility,
} from "../lib/studio";

export interface Classification {
  visibility: Visibility;
  categoryId: string;
  maturity: Maturity;
}

/** Visibility, category and maturity of a video: one row of labelled selects (upload and edit forms). */
export function StudioClassification({
  value,
  categories,
  onChange,
}: {
  value: Classification;
  categories: Category[];
  onChange: (next: Partial<Classification>) => void;
}) {
  return (
    <div className="studio-row">
      <label>
        Visibility
        <select
          value={value.visibility}
          onChange={(e) => onChange({ visibility: e.target.value as Visibility })}
        >
          {VISIBILITY_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Category
        <select value={value.categoryId} onChange={(e) => onChange({ categoryId: e.target.value })}>
          <option value="">None</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Maturity
        <select value={value.maturity} onChange={(e) => onChange({ maturity: e.target.value as Maturity })}>
          {MATURITY_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
