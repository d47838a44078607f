import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthLinks, AuthPage } from "../components/account/AuthPage";
import { AuthForm, useStartSession } from "../components/form/AuthForm";
import { EmailField, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";

/** Where to go after signing in: a same-site path from ?next=, never another origin. */
export function safeNext(next: string | null): string | null {
  return next?.startsWith("/") && !next.startsWith("//") ? next : null;
}

/** Sign in, then pick a profile. */
export function SignInPage() {
  const { t } = useTranslation("auth");
  const startSession = useStartSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const { values, field } = useFormFields({ email: "", password: "" });

  return (
    <AuthPage>
      <AuthForm
        title={t("signIn.title")}
        intro={<p className="auth-intro">{t("signIn.intro")}</p>}
        submitLabel={t("signIn.submit")}
        busyLabel={t("signIn.busy")}
        rowClassName="auth-submit"
        onSubmit={async () => {
          const tokens = await must(api.POST("/api/v1/auth/login", { body: values }));
          startSession(tokens, next ? `/profiles?next=${encodeURIComponent(next)}` : "/profiles");
        }}
        footer={
          <AuthLinks>
            <p>
              <Link to="/reset-password">{t("signIn.forgot")}</Link>
            </p>
            <p>
              <Trans t={t} i18nKey="signIn.noAccount" components={{ 1: <Link to="/signup" /> }} />
            </p>
          </AuthLinks>
        }
      >
        <EmailField name="email" autoComplete="username" {...field("email")} />
        <PasswordField name="password" {...field("password")} />
      </AuthForm>
    </AuthPage>
  );
}
