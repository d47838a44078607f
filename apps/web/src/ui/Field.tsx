import { ChevronDown } from "lucide-react";
import type {
  InputHTMLAttributes,
  ReactNode,
  Ref,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from "react";
import { useId } from "react";
import "./field.css";

/** What a control inside <FormField> spreads onto itself: its id and what describes it. */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/**
 * A label over a control, a hint under it and an error (both read out with the control):
 * `<FormField label="Title" hint="…" error={err}>{(p) => <Input {...p} value={…} />}</FormField>`.
 */
export function FormField({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={["ui-field", className].filter(Boolean).join(" ")}>
      <label className="ui-field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint ? (
        <small id={hintId} className="ui-field-hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={errorId} className="ui-field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** A one-line text input (any text-like type). */
export function Input({
  className,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return <input {...rest} className={["ui-input", className].filter(Boolean).join(" ")} />;
}

/** A multi-line text input that grows with the page's layout, not by itself. */
export function TextArea({
  className,
  ...rest
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  return <textarea {...rest} className={["ui-input", "ui-textarea", className].filter(Boolean).join(" ")} />;
}

/** A native <select> with the design's look (native on purpose: keyboard, mobile pickers, tests). */
export function Select({
  className,
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return (
    <span className={["ui-select", className].filter(Boolean).join(" ")}>
      <select {...rest} className="ui-input ui-select-control">
        {children}
      </select>
      <ChevronDown className="ui-select-chevron" aria-hidden="true" />
    </span>
  );
}
