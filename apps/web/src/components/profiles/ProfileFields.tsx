import { useTranslation } from "react-i18next";
import type { Maturity, Profile } from "../../api/types";
import { languageOptions } from "../../lib/profiles";
import { THEMES, type Theme } from "../../lib/theme";
import { Field, SelectField } from "../form/Field";

const MATURITIES: readonly Maturity[] = ["kids", "teen", "adult"];

/** A profile's name and maturity: the fields of both the new-profile and the edit form. */
export function NameAndMaturityFields(props: {
  name: string;
  setName: (name: string) => void;
  maturity: Maturity;
  setMaturity: (maturity: Maturity) => void;
}) {
  const { t } = useTranslation(["profiles", "common"]);
  return (
    <>
      <Field
        label={t("fields.name")}
        name="name"
        autoComplete="off"
        required
        maxLength={50}
        value={props.name}
        onChange={props.setName}
      />
      <SelectField
        label={t("fields.maturity")}
        hint={t("fields.maturityHint")}
        value={props.maturity}
        options={MATURITIES.map((value) => ({ value, label: t(`common:maturity.${value}`) }))}
        onChange={props.setMaturity}
      />
    </>
  );
}

/** The profile's language (the UI's, for this profile) and theme. */
export function LanguageAndThemeFields(props: {
  profile: Profile;
  language: string;
  setLanguage: (language: string) => void;
  theme: Theme;
  setTheme: (theme: Theme) => void;
}) {
  const { t } = useTranslation(["profiles", "common"]);
  return (
    <div className="profile-form-pair">
      <SelectField
        label={t("fields.language")}
        hint={t("fields.languageHint")}
        value={props.language}
        options={languageOptions(props.profile.language)}
        onChange={props.setLanguage}
      />
      <SelectField
        label={t("fields.theme")}
        value={props.theme}
        options={THEMES.map((value) => ({ value, label: t(`common:theme.${value}`) }))}
        onChange={props.setTheme}
      />
    </div>
  );
}
