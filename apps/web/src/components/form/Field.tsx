import {
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
  useId,
} from "react";

interface FieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** A line under the field, read out with it (aria-describedby). */
  hint?: string;
  /** A textarea of this many rows instead of a one-line input. */
  rows?: number;
}

/**
 * A labelled text input (or textarea, with `rows`):
 * `<Field label="Channel name" value={name} onChange={setName} />`.
 */
export function Field({
  label,
  value,
  onChange,
  hint,
  rows,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "children">) {
  const id = useId();
  const hintId = `${id}-hint`;
  const control = {
    id,
    value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value),
    "aria-describedby": hint ? hintId : undefined,
  };
  return (
    <>
      <label htmlFor={id}>
        {label}
        {rows ? (
          <textarea {...(input as TextareaHTMLAttributes<HTMLTextAreaElement>)} rows={rows} {...control} />
        ) : (
          <input {...input} {...control} />
        )}
      </label>
      {hint ? (
        <small id={hintId} className="muted">
          {hint}
        </small>
      ) : null}
    </>
  );
}

/** An email address (`autoComplete="username"` where it names the account to sign in to). */
export function EmailField({
  label = "Email",
  autoComplete = "email",
  ...field
}: Omit<FieldProps, "label"> & { label?: string; autoComplete?: "email" | "username"; name?: string }) {
  return <Field {...field} label={label} type="email" autoComplete={autoComplete} required />;
}

/** A password: the current one (autofilled) or a new one (at least 10 characters, as the API asks). */
export function PasswordField({
  label = "Password",
  isNew = false,
  ...field
}: Omit<FieldProps, "label"> & { label?: string; isNew?: boolean; name?: string }) {
  return (
    <Field
      {...field}
      label={label}
      type="password"
      required
      minLength={isNew ? 10 : undefined}
      autoComplete={isNew ? "new-password" : "current-password"}
    />
  );
}

export interface Option<T extends string> {
  value: T;
  label: string;
}

/** A labelled select over `options` (with an optional first "any" choice whose value is ""). */
export function SelectField<T extends string>({
  label,
  value,
  onChange,
  options,
  none,
  className,
}: {
  label: ReactNode;
  value: T | "";
  onChange: (value: T) => void;
  options: readonly Option<T>[];
  /** The label of the "" choice, when there is one. */
  none?: string;
  className?: string;
}) {
  return (
    <label className={className}>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
