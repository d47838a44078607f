import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthCard, AuthForm } from "../components/form/AuthForm";
import { Field } from "../components/form/Field";
import { ProblemMessage } from "../components/ProblemMessage";
import { SignInPrompt } from "../components/SignInPrompt";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";

const TITLE = "Verify your email";

/** Verify the account's email with the six-digit code that was mailed. */
export function VerifyEmailPage() {
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
      <AuthCard title={TITLE}>
        <SignInPrompt next="/verify-email" to="to enter your verification code." />
      </AuthCard>
    );

  return (
    <AuthForm
      title={TITLE}
      submitLabel="Verify"
      onSubmit={async () => {
        await must(api.POST("/api/v1/auth/verify-email", { body: { code: code.trim() } }));
        navigate("/profiles");
      }}
      intro={<SentNote sentTo={sentTo} />}
      actions={
        <>
          <button type="button" onClick={() => void resend.run()}>
            Send a new code
          </button>
          <Link to="/profiles">Later</Link>
        </>
      }
      footer={
        <>
          <ProblemMessage error={resend.error} />
          {resent ? <p role="status">A new code is on its way.</p> : null}
        </>
      }
    >
      <Field
        label="Verification code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        required
        value={code}
        onChange={setCode}
      />
    </AuthForm>
  );
}

/** Where the code went (and, running locally, the dev mailbox that shows it). */
function SentNote({ sentTo }: { sentTo: string | null }) {
  if (!sentTo) return <p>Enter the six-digit code we emailed you.</p>;
  return (
    <>
      <p role="status">
        We sent a code to <strong>{sentTo}</strong>.
      </p>
      {isLocal() ? (
        <p className="muted">
          Running locally? Read it in the{" "}
          <a href={`/dev/mailbox?to=${encodeURIComponent(sentTo)}`} target="_blank" rel="noreferrer">
            dev mailbox
          </a>
          .
        </p>
      ) : null}
    </>
  );
}

/** The dev mailbox exists only on the local platform. */
function isLocal(): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(window.location.hostname);
}
