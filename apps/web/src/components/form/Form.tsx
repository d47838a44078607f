import { type FormEvent, type ReactNode, useState } from "react";
import { useAction } from "../../lib/useAction";
import { Button } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

export interface FormProps {
  /** The work; a string it returns is shown as the success message. Errors show as problems. */
  onSubmit: () => Promise<unknown>;
  submitLabel: string;
  /** The button's text while the work runs (default: the same label, disabled). */
  busyLabel?: string;
  /** Whether the submit button is the page's main call to action (default true). */
  primary?: boolean;
  /** The submit button cannot be pressed (nothing to send yet). */
  disabled?: boolean;
  /** Buttons or links beside the submit button ("Cancel", "Send a new code"). */
  actions?: ReactNode;
  /** A heading over the fields, which also names the form. */
  heading?: string;
  className?: string;
  rowClassName?: string;
  "aria-label"?: string;
  "aria-labelledby"?: string;
  children: ReactNode;
}

/**
 * The one way to build a form: its fields, the API's problem when the work fails, the submit
 * button (disabled and relabelled while busy) with any other actions, and the success message.
 */
export function Form({
  onSubmit,
  submitLabel,
  busyLabel,
  primary = true,
  disabled = false,
  actions,
  className = "stack",
  rowClassName = "row",
  heading,
  children,
  ...aria
}: FormProps) {
  const [status, setStatus] = useState<string | null>(null);
  const action = useAction(async () => {
    setStatus(null);
    const done = await onSubmit();
    if (typeof done === "string") setStatus(done);
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run();
  }

  return (
    <form onSubmit={submit} className={className} aria-label={heading} {...aria}>
      {heading ? <h2>{heading}</h2> : null}
      {children}
      <ProblemMessage error={action.error} />
      <div className={rowClassName}>
        <SubmitButton busy={action.busy} busyLabel={busyLabel} primary={primary} disabled={disabled}>
          {submitLabel}
        </SubmitButton>
        {actions}
      </div>
      {status ? <p role="status">{status}</p> : null}
    </form>
  );
}

/** A submit button that is disabled (and says so) while its form is busy. */
export function SubmitButton({
  busy,
  busyLabel,
  primary = true,
  disabled = false,
  children,
}: {
  busy: boolean;
  busyLabel?: string;
  primary?: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Button type="submit" variant={primary ? "primary" : "secondary"} busy={busy} disabled={disabled}>
      {busy && busyLabel ? busyLabel : children}
    </Button>
  );
}
