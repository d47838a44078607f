import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Campaign, type CampaignInput, fieldErrors, PACINGS } from "../../lib/ads";
import { useAction } from "../../lib/useAction";
import { Field, SelectField } from "../form/Field";
import { SubmitButton } from "../form/Form";
import { ProblemMessage } from "../ProblemMessage";
import { Checkbox } from "./Choices";
import { type CampaignValues, initialValues, type LocalError, toInput } from "./campaignForm";
import { TargetingFields } from "./TargetingFields";

/**
 * The campaign's settings: name, click-through, money (typed in dollars, sent as integer cents),
 * pacing, dates, targeting, frequency cap, kids-safe. Problems the form can see are shown on
 * their fields before anything is sent; the API's field errors (problem+json `errors`) land on
 * the same fields, and the first wrong field gets the focus.
 */
export function CampaignForm({
  campaign,
  submitLabel,
  onSubmit,
}: {
  campaign?: Campaign;
  submitLabel: string;
  onSubmit: (input: CampaignInput) => Promise<unknown>;
}) {
  const { t } = useTranslation("ads");
  const [values, setValues] = useState<CampaignValues>(() => initialValues(campaign));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);
  const set = <K extends keyof CampaignValues>(key: K, value: CampaignValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const save = useAction(async () => {
    const checked = toInput(values);
    if (!checked.ok) {
      setErrors(
        Object.fromEntries(
          Object.entries(checked.errors).map(([k, e]) => [k, t(`form.error.${e satisfies LocalError}`)]),
        ),
      );
      return;
    }
    setErrors({});
    try {
      await onSubmit(checked.input);
    } catch (err) {
      setErrors(fieldErrors(err));
      throw err;
    }
  });
  // The first field in trouble gets the focus (its error is read out with it).
  useEffect(() => {
    if (Object.keys(errors).length)
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .ads-choices-error input')?.focus();
  }, [errors]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const money = { inputMode: "decimal" as const, autoComplete: "off", placeholder: "0.00" };
  return (
    <form ref={form} className="ads-form stack" onSubmit={submit} noValidate data-testid="campaign-form">
      <div className="ads-grid">
        <Field
          label={t("form.name")}
          value={values.name}
          onChange={(v) => set("name", v)}
          error={errors.name}
          required
          maxLength={200}
        />
        <Field
          label={t("form.clickThroughUrl")}
          hint={t("form.clickThroughUrlHint")}
          type="url"
          value={values.clickThroughUrl}
          onChange={(v) => set("clickThroughUrl", v)}
          error={errors.clickThroughUrl}
          required
          maxLength={2000}
        />
      </div>
      <fieldset className="ads-fieldset">
        <legend>{t("form.budget")}</legend>
        <div className="ads-grid ads-grid-3">
          <Field
            label={t("form.totalBudget")}
            value={values.totalBudget}
            onChange={(v) => set("totalBudget", v)}
            error={errors.totalBudgetCents}
            {...money}
          />
          <Field
            label={t("form.dailyBudget")}
            value={values.dailyBudget}
            onChange={(v) => set("dailyBudget", v)}
            error={errors.dailyBudgetCents}
            {...money}
          />
          <Field
            label={t("form.cpmBid")}
            hint={t("form.cpmBidHint")}
            value={values.cpmBid}
            onChange={(v) => set("cpmBid", v)}
            error={errors.cpmBidCents}
            {...money}
          />
        </div>
        <SelectField
          label={t("form.pacing")}
          value={values.pacing}
          onChange={(v) => set("pacing", v)}
          options={PACINGS.map((p) => ({ value: p, label: t(`pacing.${p}`) }))}
        />
      </fieldset>
      <fieldset className="ads-fieldset">
        <legend>{t("form.schedule")}</legend>
        <div className="ads-grid">
          <Field
            label={t("form.startsAt")}
            type="datetime-local"
            value={values.startsAt}
            onChange={(v) => set("startsAt", v)}
            error={errors.startsAt}
          />
          <Field
            label={t("form.endsAt")}
            hint={t("form.endsAtHint")}
            type="datetime-local"
            value={values.endsAt}
            onChange={(v) => set("endsAt", v)}
            error={errors.endsAt}
          />
        </div>
      </fieldset>
      <TargetingFields values={values} set={set} errors={errors} />
      <fieldset className="ads-fieldset">
        <legend>{t("form.delivery")}</legend>
        <Field
          label={t("form.frequencyCap")}
          hint={t("form.frequencyCapHint")}
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          value={values.frequencyCapPerDay}
          onChange={(v) => set("frequencyCapPerDay", v)}
          error={errors.frequencyCapPerDay}
          className="ads-narrow"
        />
        <Checkbox
          label={t("form.kidsSafe")}
          hint={t("form.kidsSafeHint")}
          checked={values.kidsSafe}
          onChange={(v) => set("kidsSafe", v)}
        />
      </fieldset>
      <ProblemMessage error={save.error} />
      <div className="row">
        <SubmitButton busy={save.busy} busyLabel={t("form.saving")}>
          {submitLabel}
        </SubmitButton>
      </div>
    </form>
  );
}
