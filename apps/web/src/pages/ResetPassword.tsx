import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthLinks, AuthPage } from "../components/account/AuthPage";
import { AuthForm } from "../components/form/AuthForm";
import { EmailField, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";
import { session } from "../lib/session";

/** Request a password-reset link, or (with ?token= from the link) choose a new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  return <AuthPage>{token ? <ConfirmReset token={token} /> : <RequestReset />}</AuthPage>;
}

function RequestReset() {
  const { t } = useTranslation("auth");
  const { values, field } = useFormFields({ email: "" });
  return (
    <AuthForm
      title={t("reset.title")}
      intro={<p className="auth-intro">{t("reset.intro")}</p>}
      submitLabel={t("reset.submit")}
      rowClassName="auth-submit"
      onSubmit={async () => {
        await must(api.POST("/api/v1/auth/password-reset/request", { body: values }));
      }}
      success={
        <Trans t={t} i18nKey="reset.sent" values={{ email: values.email }} components={{ 1: <strong /> }} />
      }
      footer={
        <AuthLinks>
          <p>
            <Trans t={t} i18nKey="reset.remembered" components={{ 1: <Link to="/signin" /> }} />
          </p>
        </AuthLinks>
      }
    >
      <EmailField name="email" {...field("email")} />
    </AuthForm>
  );
}

function ConfirmReset({ token }: { token: string }) {
  const { t } = useTranslation("auth");
  const { values, field } = useFormFields({ password: "" });
  return (
    <AuthForm
      title={t("reset.title")}
      intro={<p className="auth-intro">{t("reset.confirmIntro")}</p>}
      submitLabel={t("reset.confirmSubmit")}
      rowClassName="auth-submit"
      onSubmit={async () => {
        await must(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, ...values } }));
        // Every session of the account was revoked, this one included.
        session.signOut();
      }}
      success={<Trans t={t} i18nKey="reset.changed" components={{ 1: <Link to="/signin" /> }} />}
    >
      <PasswordField
        label={t("reset.newPassword")}
        hint={t("reset.newPasswordHint")}
        name="password"
        isNew
        {...field("password")}
      />
    </AuthForm>
  );
}
