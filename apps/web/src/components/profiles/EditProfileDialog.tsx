import { Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import type { Maturity, Profile } from "../../api/types";
import { i18n, setLanguage as switchUiLanguage } from "../../i18n";
import { deleteProfile, type ProfilePatch, updateProfile } from "../../lib/profiles";
import { useSession } from "../../lib/session";
import { type Theme, useTheme } from "../../lib/theme";
import { useLoad } from "../../lib/useLoad";
import { Button, ConfirmDialog, Dialog, DialogClose, toast } from "../../ui";
import { Form } from "../form/Form";
import { HistoryPausedField } from "./HistoryPausedField";
import { LanguageAndThemeFields, NameAndMaturityFields } from "./ProfileFields";

/** The editor of one profile, in a dialog: `profile` null is closed. */
export function EditProfileDialog({
  profile,
  canDelete,
  onClose,
}: {
  profile: Profile | null;
  canDelete: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation(["profiles", "common"]);
  return (
    <Dialog
      title={t("editDialog.title")}
      open={profile !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      {profile ? (
        <ProfileEditor key={profile.id} profile={profile} canDelete={canDelete} onDone={onClose} />
      ) : null}
    </Dialog>
  );
}

/**
 * Name, maturity, language, theme (and, for the profile in use, pausing its history), saved
 * together. The active profile's theme goes through `useTheme` (applied at once, like the header's
 * switch); its language is followed by main.tsx as soon as the profiles reload.
 */
function ProfileEditor({
  profile,
  canDelete,
  onDone,
}: {
  profile: Profile;
  canDelete: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation(["profiles", "common"]);
  const isActive = useSession()?.profileId === profile.id;
  const appTheme = useTheme();
  const [name, setName] = useState(profile.name);
  const [maturity, setMaturity] = useState<Maturity>(profile.maturity);
  const [language, setLanguage] = useState(profile.language);
  const [theme, setTheme] = useState<Theme>(isActive ? appTheme.theme : profile.theme);
  const history = useLoad(() => must(api.GET("/api/v1/me/history/settings")), [profile.id], {
    enabled: isActive,
  });
  const [paused, setPaused] = useState<boolean | null>(null);
  const historyPaused = paused ?? history.data?.paused ?? false;

  async function save() {
    // The active profile's new theme applies when the profiles reload (useProfileTheme, main.tsx).
    const patch: ProfilePatch = { name: name.trim(), maturity, language, theme };
    await updateProfile(profile.id, patch);
    if (isActive && history.data && historyPaused !== history.data.paused)
      await must(api.PUT("/api/v1/me/history/settings", { body: { paused: historyPaused } }));
    // The profile in use speaks its new language from here on, this toast included.
    if (isActive) await switchUiLanguage(language);
    toast({ title: i18n.t("profiles:editDialog.saved"), tone: "success" });
    onDone();
  }

  return (
    <Form
      aria-label={t("edit", { name: profile.name })}
      submitLabel={t("common:actions.save")}
      rowClassName="profile-form-actions"
      onSubmit={save}
      actions={
        <>
          <DialogClose asChild>
            <Button variant="ghost">{t("common:actions.cancel")}</Button>
          </DialogClose>
          <DeleteProfile profile={profile} disabled={!canDelete} onDeleted={onDone} />
        </>
      }
    >
      <NameAndMaturityFields name={name} setName={setName} maturity={maturity} setMaturity={setMaturity} />
      <LanguageAndThemeFields
        profile={profile}
        language={language}
        setLanguage={setLanguage}
        theme={theme}
        setTheme={setTheme}
      />
      <HistoryPausedField
        available={isActive}
        loaded={history.data !== undefined}
        paused={historyPaused}
        setPaused={setPaused}
      />
      {canDelete ? null : <p className="muted profile-form-note">{t("delete.lastOne")}</p>}
    </Form>
  );
}

function DeleteProfile({
  profile,
  disabled,
  onDeleted,
}: {
  profile: Profile;
  disabled: boolean;
  onDeleted: () => void;
}) {
  const { t } = useTranslation(["profiles", "common"]);
  return (
    <ConfirmDialog
      title={t("delete.title", { name: profile.name })}
      description={t("delete.description")}
      confirmLabel={t("delete.confirm")}
      onConfirm={async () => {
        await deleteProfile(profile.id);
        toast({ title: t("delete.deleted", { name: profile.name }) });
        onDeleted();
      }}
      trigger={
        <Button variant="ghost" className="profile-delete" icon={<Trash2 />} disabled={disabled}>
          {t("delete.button")}
        </Button>
      }
    />
  );
}
