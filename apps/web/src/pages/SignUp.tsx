import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, must } from "../api/client";
import { AuthLinks, AuthPage } from "../components/account/AuthPage";
import { AuthForm, useStartSession } from "../components/form/AuthForm";
import { EmailField, Field, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";

/** Sign up: creates the account (and its first profile) and mails a verification code. */
export function SignUpPage() {
  const { t } = useTranslation("auth");
  const startSession = useStartSession();
  const { values, field } = useFormFields({ displayName: "", email: "", password: "" });

  return (
    <AuthPage>
      <AuthForm
        title={t("signUp.title")}
        intro={<p className="auth-intro">{t("signUp.intro")}</p>}
        submitLabel={t("signUp.submit")}
        busyLabel={t("signUp.busy")}
        rowClassName="auth-submit"
        onSubmit={async () => {
          const tokens = await must(api.POST("/api/v1/auth/signup", { body: values }));
          startSession(tokens, `/verify-email?sent=${encodeURIComponent(values.email)}`);
        }}
        footer={
          <AuthLinks>
            <p>
              <Trans t={t} i18nKey="signUp.haveAccount" components={{ 1: <Link to="/signin" /> }} />
            </p>
          </AuthLinks>
        }
      >
        <Field
          label={t("signUp.displayName")}
          hint={t("signUp.displayNameHint")}
          name="displayName"
          autoComplete="nickname"
          required
          maxLength={50}
          {...field("displayName")}
        />
        <EmailField name="email" {...field("email")} />
        <PasswordField name="password" isNew hint={t("signUp.passwordHint")} {...field("password")} />
      </AuthForm>
    </AuthPage>
  );
}
