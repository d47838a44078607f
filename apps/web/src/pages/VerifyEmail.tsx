import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthPage } from "../components/account/AuthPage";
import { AuthCard, AuthForm } from "../components/form/AuthForm";
import { Field } from "../components/form/Field";
import { ProblemMessage } from "../components/ProblemMessage";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { Button, ButtonLink } from "../ui";

/** Verify the account's email with the six-digit code that was mailed. */
export function VerifyEmailPage() {
  const { t } = useTranslation("auth");
  const navigate = useNavigate();
  const s = useSession();
  const [params] = useSearchParams();
  const sentTo = params.get("sent");
  const [code, setCode] = useState("");
  const [resent, setResent] = useState(false);
  const resend = useAction(async () => {
    await must(api.POST("/api/v1/auth/verify-email/request"));
    setResent(true);
  });

  if (!s)
    return (
      <AuthPage>
        <AuthCard title={t("verify.title")}>
          <p className="auth-intro">{t("verify.signInFirst")}</p>
          <ButtonLink to="/signin?next=/verify-email" variant="primary" block>
            {t("verify.signIn")}
          </ButtonLink>
        </AuthCard>
      </AuthPage>
    );

  return (
    <AuthPage>
      <AuthForm
        title={t("verify.title")}
        submitLabel={t("verify.submit")}
        rowClassName="auth-submit"
        onSubmit={async () => {
          await must(api.POST("/api/v1/auth/verify-email", { body: { code: code.trim() } }));
          navigate("/profiles");
        }}
        intro={<SentNote sentTo={sentTo} />}
        actions={
          <div className="auth-secondary-actions">
            <Button variant="ghost" busy={resend.busy} onClick={() => void resend.run()}>
              {t("verify.resend")}
            </Button>
            <ButtonLink to="/profiles" variant="ghost">
              {t("verify.later")}
            </ButtonLink>
          </div>
        }
        footer={
          <>
            <ProblemMessage error={resend.error} />
            {resent ? (
              <p role="status" className="auth-note">
                {t("verify.resent")}
              </p>
            ) : null}
          </>
        }
      >
        <Field
          label={t("verify.code")}
          hint={t("verify.codeHint")}
          name="code"
          className="verify-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          required
          value={code}
          onChange={setCode}
        />
      </AuthForm>
    </AuthPage>
  );
}

/** Where the code went (and, running locally, the dev mailbox that shows it). */
function SentNote({ sentTo }: { sentTo: string | null }) {
  const { t } = useTranslation("auth");
  if (!sentTo) return <p className="auth-intro">{t("verify.enterCode")}</p>;
  return (
    <>
      <p role="status" className="auth-intro">
        <Trans t={t} i18nKey="verify.sentTo" values={{ email: sentTo }} components={{ 1: <strong /> }} />
      </p>
      {isLocal() ? (
        <p className="auth-note">
          <Trans
            t={t}
            i18nKey="verify.devMailbox"
            components={{
              1: (
                // biome-ignore lint/a11y/useAnchorContent: Trans puts the translated text inside
                <a href={`/dev/mailbox?to=${encodeURIComponent(sentTo)}`} target="_blank" rel="noreferrer" />
              ),
            }}
          />
        </p>
      ) : null}
    </>
  );
}

/** The dev mailbox exists only on the local platform. */
function isLocal(): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(window.location.hostname);
}
