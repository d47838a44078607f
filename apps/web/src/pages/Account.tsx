import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import { AccountSummary, AccountSummarySkeleton } from "../components/account/AccountSummary";
import { SettingsForm, SettingsSection } from "../components/account/SettingsSection";
import { EmailField, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";
import { useLoad } from "../lib/useLoad";
import { ErrorState } from "../ui";

/**
 * The account's security settings. Every change here asks for the current password: an access
 * token alone never moves the account (docs/security.md). Changing the email or the password ends
 * every other session.
 */
export function AccountPage() {
  const { t } = useTranslation("account");
  const me = useLoad(() => must(api.GET("/api/v1/me")), []);
  return (
    <div className="account-page">
      <h1>{t("title")}</h1>
      {me.data ? (
        <AccountSummary account={me.data} />
      ) : me.error ? (
        <ErrorState error={me.error} onRetry={me.reload} compact />
      ) : (
        <AccountSummarySkeleton />
      )}
      <ChangeEmail onChanged={me.reload} />
      <ChangePassword />
      <CancelUndoLinks />
    </div>
  );
}

function ChangeEmail({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation("account");
  const { values, field, reset } = useFormFields({ email: "", password: "" });
  return (
    <SettingsSection id="email" title={t("email.title")} description={t("email.description")}>
      <SettingsForm
        name={t("email.form")}
        send={() => must(api.POST("/api/v1/me/email", { body: values }))}
        after={() => {
          reset("password");
          onChanged();
        }}
        success={() => t("email.done", { email: values.email })}
      >
        <EmailField label={t("email.newEmail")} {...field("email")} />
        <PasswordField label={t("email.currentPassword")} {...field("password")} />
      </SettingsForm>
    </SettingsSection>
  );
}

function ChangePassword() {
  const { t } = useTranslation("account");
  const { values, field, reset } = useFormFields({ currentPassword: "", newPassword: "" });
  return (
    <SettingsSection id="password" title={t("password.title")} description={t("password.description")}>
      <SettingsForm
        name={t("password.form")}
        send={() => must(api.POST("/api/v1/me/password", { body: values }))}
        after={reset}
        success={() => t("password.done")}
      >
        <PasswordField label={t("password.currentPassword")} {...field("currentPassword")} />
        <PasswordField
          label={t("password.newPassword")}
          hint={t("password.newPasswordHint")}
          {...field("newPassword")}
          isNew
        />
      </SettingsForm>
    </SettingsSection>
  );
}

/** For an owner who changed the email because the previous mailbox is no longer safe. */
function CancelUndoLinks() {
  const { t } = useTranslation("account");
  const { values, field, reset } = useFormFields({ password: "" });
  return (
    <SettingsSection id="undo-links" title={t("undoLinks.title")} description={t("undoLinks.description")}>
      <SettingsForm
        name={t("undoLinks.form")}
        send={() => must(api.DELETE("/api/v1/me/email/undo-links", { body: values }))}
        after={reset}
        success={() => t("undoLinks.done")}
      >
        <PasswordField label={t("undoLinks.currentPassword")} {...field("password")} />
      </SettingsForm>
    </SettingsSection>
  );
}
