import { RotateCw, Save } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  adminApi,
  CONFIG_SECTIONS,
  type ConfigEntry,
  type ConfigView,
  configEntries,
  configFieldErrors,
  type ConfigForm as FormState,
  fromConfigForm,
  isStaleVersion,
  toConfigForm,
} from "../../lib/admin";
import { useAction } from "../../lib/useAction";
import { Button, FormField, Input, TextArea } from "../../ui";

const ENTRIES = configEntries();

/**
 * The settings as a typed form, a card per section, saved with a reason. The API validates: its
 * field errors (`body.value.reports.autoHideThreshold`) land on the field they name; a save from a
 * version someone has since replaced is a 409, explained with a way to reload.
 */
export function ConfigEditor({
  config,
  onSaved,
  onReload,
}: {
  config: ConfigView;
  onSaved: (next: ConfigView) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation("admin");
  const [form, setForm] = useState<FormState>(() => toConfigForm(config.value));
  const [reason, setReason] = useState("");
  const [reasonMissing, setReasonMissing] = useState(false);
  const save = useAction(async () => {
    onSaved(await adminApi.saveConfig(fromConfigForm(form), config.version, reason));
  });
  const { fields, general } = configFieldErrors(save.error);
  const stale = isStaleVersion(save.error);
  const set = (path: string, value: string | boolean) => setForm((f) => ({ ...f, [path]: value }));
  return (
    <form
      className="studio-form"
      noValidate
      data-testid="config-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) {
          setReasonMissing(true);
          return;
        }
        setReasonMissing(false);
        void save.run();
      }}
    >
      {CONFIG_SECTIONS.map((section) => (
        <section key={section} className="studio-card">
          <fieldset className="mod-config-section">
            <legend>{t(`config.section.${section}`)}</legend>
            {section === "flags" ? (
              <FlagFields form={form} fields={fields} set={set} />
            ) : (
              ENTRIES.filter((e) => e.section === section).map((entry) => (
                <NumberField
                  key={entry.path}
                  entry={entry}
                  label={t(`config.field.${entry.path}` as "config.field.reports.autoHideThreshold")}
                  value={String(form[entry.path] ?? "")}
                  error={fields[entry.path]}
                  onChange={(v) => set(entry.path, v)}
                />
              ))
            )}
          </fieldset>
        </section>
      ))}
      <section className="studio-card stack">
        <FormField
          label={t("config.reason")}
          hint={t("config.reasonHint")}
          error={reasonMissing ? t("config.reasonRequired") : undefined}
        >
          {(control) => (
            <TextArea
              {...control}
              rows={2}
              maxLength={500}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="config-reason"
            />
          )}
        </FormField>
        {stale ? (
          <div role="alert" className="problem" data-testid="config-error" data-kind="stale">
            <strong>{t("config.stale")}</strong>
            <p>{t("config.staleHint")}</p>
            <Button icon={<RotateCw />} onClick={onReload}>
              {t("config.reload")}
            </Button>
          </div>
        ) : save.error || reasonMissing ? (
          <div role="alert" className="problem" data-testid="config-error" data-kind="invalid">
            <strong>{reasonMissing ? t("config.reasonRequired") : t("config.refused")}</strong>
            {save.error ? (
              <p>{save.error instanceof Error ? save.error.message : String(save.error)}</p>
            ) : null}
            {general.length ? (
              <ul>
                {general.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="studio-actions">
          <Button type="submit" variant="primary" icon={<Save />} busy={save.busy} data-testid="config-save">
            {t("config.save")}
          </Button>
        </div>
      </section>
    </form>
  );
}

function NumberField({
  entry,
  label,
  value,
  error,
  onChange,
}: {
  entry: ConfigEntry;
  label: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation("admin");
  const { min, max, optional } = entry.spec;
  const range = { min: min ?? 0, max: max ?? 0 };
  return (
    <FormField
      label={label}
      hint={optional ? t("config.optionalRange", range) : t("config.range", range)}
      error={error}
    >
      {(control) => (
        <Input
          {...control}
          type="number"
          inputMode="numeric"
          step={1}
          min={min}
          max={max}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`config-field-${entry.path}`}
        />
      )}
    </FormField>
  );
}

function FlagFields({
  form,
  fields,
  set,
}: {
  form: FormState;
  fields: Record<string, string>;
  set: (path: string, value: string | boolean) => void;
}) {
  const { t } = useTranslation("admin");
  const flags = [
    ...new Set(ENTRIES.filter((e) => e.section === "flags").map((e) => e.path.split(".")[1] ?? "")),
  ];
  return (
    <>
      {flags.map((name) => {
        const on = `flags.${name}.enabled`;
        const pct = `flags.${name}.rolloutPct`;
        const pctEntry = ENTRIES.find((e) => e.path === pct);
        return (
          <div key={name} className="mod-flag" data-testid={`config-flag-${name}`}>
            <h3>{t(`config.flag.${name}` as "config.flag.reports")}</h3>
            <label className="mod-check">
              <input
                type="checkbox"
                checked={form[on] === true}
                onChange={(e) => set(on, e.target.checked)}
                data-testid={`config-field-${on}`}
              />
              <span>{t("config.flag.enabled")}</span>
            </label>
            {fields[on] ? <small className="mod-error">{fields[on]}</small> : null}
            {pctEntry ? (
              <NumberField
                entry={pctEntry}
                label={t("config.flag.rolloutPct")}
                value={String(form[pct] ?? "")}
                error={fields[pct]}
                onChange={(v) => set(pct, v)}
              />
            ) : null}
          </div>
        );
      })}
    </>
  );
}
