import { type FormEvent, type ReactNode, type Ref, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAction } from "../../lib/useAction";
import {
  checkValues,
  MAX_DESCRIPTION,
  MAX_URL,
  problemFields,
  valuesOf,
  type Webhook,
  type WebhookField,
  type WebhookInput,
  type WebhookValues,
} from "../../lib/webhooks";
import { FormField, Input } from "../../ui";
import { Field } from "../form/Field";
import { SubmitButton } from "../form/Form";
import { ProblemMessage } from "../ProblemMessage";
import { EventsField } from "./EventsField";

type Errors = Partial<Record<WebhookField, string>>;

/**
 * An endpoint's URL, events and description, for adding one or editing it. What the browser can
 * check is checked before sending; the API's answer lands on the field it is about (a refused
 * URL's reason under the URL), anything else above the buttons. The first field in trouble gets
 * the focus, its error read out with it.
 */
export function WebhookForm({
  webhook,
  submitLabel,
  onSubmit,
  actions,
  resetOnSuccess = false,
  urlRef,
  testId,
  "aria-labelledby": labelledBy,
}: {
  /** The endpoint being edited (none: a new one). */
  webhook?: Webhook;
  submitLabel: string;
  /** Sends the input; a rejection is shown on the form. */
  onSubmit: (input: WebhookInput) => Promise<unknown>;
  actions?: ReactNode;
  /** Empty the fields after a success (the "add" form). */
  resetOnSuccess?: boolean;
  urlRef?: Ref<HTMLInputElement>;
  testId?: string;
  "aria-labelledby"?: string;
}) {
  const { t } = useTranslation("webhooks");
  const [values, setValues] = useState<WebhookValues>(() => valuesOf(webhook));
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const form = useRef<HTMLFormElement>(null);
  const set = <K extends keyof WebhookValues>(key: K, value: WebhookValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };
  const save = useAction(async () => {
    setProblem(null);
    const checked = checkValues(values);
    if (!checked.ok) {
      setErrors(
        Object.fromEntries(Object.entries(checked.errors).map(([k, e]) => [k, t(`form.error.${e}`)])),
      );
      return;
    }
    setErrors({});
    try {
      await onSubmit(checked.input);
      if (resetOnSuccess) setValues(valuesOf());
    } catch (err) {
      const { fields, general } = problemFields(err);
      setErrors(fields);
      if (general) setProblem(err);
    }
  });
  useEffect(() => {
    if (Object.keys(errors).length)
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <form
      ref={form}
      className="studio-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={labelledBy}
      data-testid={testId}
    >
      <FormField label={t("form.url")} hint={t("form.urlHint")} error={errors.url}>
        {(control) => (
          <Input
            {...control}
            ref={urlRef}
            name="url"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            required
            maxLength={MAX_URL}
            placeholder={t("form.urlPlaceholder")}
            value={values.url}
            onChange={(e) => set("url", e.target.value)}
            data-testid="webhook-url"
          />
        )}
      </FormField>
      <EventsField value={values.events} onChange={(v) => set("events", v)} error={errors.events} />
      <Field
        label={t("form.description")}
        hint={t("form.descriptionHint")}
        value={values.description}
        onChange={(v) => set("description", v)}
        error={errors.description}
        name="description"
        autoComplete="off"
        maxLength={MAX_DESCRIPTION}
      />
      <ProblemMessage error={problem} />
      <div className="studio-actions">
        <SubmitButton busy={save.busy}>{submitLabel}</SubmitButton>
        {actions}
      </div>
    </form>
  );
}
