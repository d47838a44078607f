import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthPage } from "../components/account/AuthPage";
import { AuthForm } from "../components/form/AuthForm";
import { PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";
import { session } from "../lib/session";

/**
 * The undo link mailed to the previous address after an email change (`?token=`): gives the
 * account its old address back and sets a new password, since whoever changed the email may know
 * the current one. Every session of the account ends, this browser's included.
 */
export function UndoEmailChangePage() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const { values, field } = useFormFields({ password: "" });

  return (
    <AuthPage>
      <AuthForm
        title={t("undo.title")}
        intro={<p className="auth-intro">{t("undo.intro")}</p>}
        submitLabel={t("undo.submit")}
        rowClassName="auth-submit"
        onSubmit={async () => {
          await must(api.POST("/api/v1/auth/email-change/undo", { body: { token, ...values } }));
          session.signOut();
        }}
        success={<Trans t={t} i18nKey="undo.done" components={{ 1: <Link to="/signin" /> }} />}
        outcome={
          token ? null : (
            <p role="alert" className="problem">
              {t("undo.missingToken")}
            </p>
          )
        }
      >
        <PasswordField label={t("undo.newPassword")} name="password" isNew {...field("password")} />
      </AuthForm>
    </AuthPage>
  );
}
