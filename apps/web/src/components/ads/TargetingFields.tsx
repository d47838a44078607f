import { useTranslation } from "react-i18next";
import { DEVICE_CLASSES, MATURITIES } from "../../lib/ads";
import { useCategories } from "../../lib/useCategories";
import { Field, SelectField } from "../form/Field";
import { CheckboxGroup } from "./Choices";
import type { CampaignValues } from "./campaignForm";

type Set = <K extends keyof CampaignValues>(key: K, value: CampaignValues[K]) => void;

/** Who sees the ad: categories, countries, languages, devices, maturity, excluded channels. */
export function TargetingFields({
  values,
  set,
  errors,
}: {
  values: CampaignValues;
  set: Set;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation(["ads", "common"]);
  const categories = useCategories();
  return (
    <fieldset className="ads-fieldset">
      <legend>{t("form.targeting")}</legend>
      <p className="muted ads-fieldset-hint">{t("form.targetingHint")}</p>
      {categories.options.length ? (
        <CheckboxGroup
          legend={t("form.categories")}
          hint={errors["targeting.categories"] ?? t("form.categoriesHint")}
          options={categories.options}
          value={values.categories}
          onChange={(v) => set("categories", v)}
          testId="targeting-categories"
        />
      ) : null}
      <div className="ads-grid">
        <Field
          label={t("form.countries")}
          hint={t("form.countriesHint")}
          error={errors["targeting.countries"]}
          value={values.countries}
          onChange={(v) => set("countries", v)}
          autoComplete="off"
        />
        <Field
          label={t("form.languages")}
          hint={t("form.languagesHint")}
          error={errors["targeting.languages"]}
          value={values.languages}
          onChange={(v) => set("languages", v)}
          autoComplete="off"
        />
      </div>
      <CheckboxGroup
        legend={t("form.devices")}
        hint={errors["targeting.devices"] ?? t("form.devicesHint")}
        options={DEVICE_CLASSES.map((d) => ({ value: d, label: t(`device.${d}`) }))}
        value={values.devices}
        onChange={(v) => set("devices", v)}
        testId="targeting-devices"
      />
      <div className="ads-grid">
        <SelectField
          label={t("form.maxMaturity")}
          hint={t("form.maxMaturityHint")}
          value={values.maxMaturity}
          onChange={(v) => set("maxMaturity", v)}
          options={MATURITIES.map((m) => ({ value: m, label: t(`common:maturity.${m}`) }))}
        />
        <Field
          label={t("form.excludedChannels")}
          hint={t("form.excludedChannelsHint")}
          error={errors["targeting.excludedChannels"]}
          value={values.excludedChannels}
          onChange={(v) => set("excludedChannels", v)}
          autoComplete="off"
        />
      </div>
    </fieldset>
  );
}
