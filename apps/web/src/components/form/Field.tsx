import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { FormField, Input, Select, TextArea } from "../../ui";

interface FieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** A line under the field, read out with it (aria-describedby). */
  hint?: ReactNode;
  /** What is wrong with the value, under the field (aria-invalid, read out with it). */
  error?: ReactNode;
  /** A textarea of this many rows instead of a one-line input. */
  rows?: number;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "children">;

/**
 * A labelled text input (or textarea, with `rows`), with an optional hint and error:
 * `<Field label={t("channelName")} value={name} onChange={setName} />`.
 */
export function Field({
  label,
  value,
  onChange,
  hint,
  error,
  rows,
  className,
  ...input
}: FieldProps & InputProps) {
  return (
    <FormField label={label} hint={hint} error={error} className={className}>
      {(control) =>
        rows ? (
          <TextArea
            {...(input as TextareaHTMLAttributes<HTMLTextAreaElement>)}
            {...control}
            rows={rows}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <Input {...input} {...control} value={value} onChange={(e) => onChange(e.target.value)} />
        )
      }
    </FormField>
  );
}

/** A multi-line Field (4 rows unless told). */
export function TextAreaField({ rows = 4, ...field }: FieldProps & InputProps) {
  return <Field {...field} rows={rows} />;
}

/** An email address (`autoComplete="username"` where it names the account to sign in to). */
export function EmailField({
  label,
  autoComplete = "email",
  ...field
}: Omit<FieldProps, "label"> & { label?: string; autoComplete?: "email" | "username"; name?: string }) {
  const { t } = useTranslation("common");
  return (
    <Field {...field} label={label ?? t("fields.email")} type="email" autoComplete={autoComplete} required />
  );
}

/** A password: the current one (autofilled) or a new one (at least 10 characters, as the API asks). */
export function PasswordField({
  label,
  isNew = false,
  ...field
}: Omit<FieldProps, "label"> & { label?: string; isNew?: boolean; name?: string }) {
  const { t } = useTranslation("common");
  return (
    <Field
      {...field}
      label={label ?? t("fields.password")}
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

/** A labelled native select over `options` (with an optional first "any" choice whose value is ""). */
export function SelectField<T extends string>({
  label,
  value,
  onChange,
  options,
  none,
  hint,
  className,
}: {
  label: ReactNode;
  value: T | "";
  onChange: (value: T) => void;
  options: readonly Option<T>[];
  /** The label of the "" choice, when there is one. */
  none?: string;
  hint?: ReactNode;
  className?: string;
}) {
  return (
    <FormField label={label} hint={hint} className={className}>
      {(control) => (
        <Select {...control} value={value} onChange={(e) => onChange(e.target.value as T)}>
          {none !== undefined ? <option value="">{none}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      )}
    </FormField>
  );
}
