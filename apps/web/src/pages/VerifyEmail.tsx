import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { useSession } from "../lib/session";

/** Verify the account's email with the six-digit code that was mailed. */
export function VerifyEmailPage() {
  const navigate = useNavigate();
  const s = useSession();
  const [params] = useSearchParams();
  const sentTo = params.get("sent");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [resent, setResent] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (!s) {
    return (
      <section className="auth-card">
        <h1>Verify your email</h1>
        <p>
          <Link to="/signin?next=/verify-email">Sign in</Link> to enter your verification code.
        </p>
      </section>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await must(api.POST("/api/v1/auth/verify-email", { body: { code: code.trim() } }));
      navigate("/profiles");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    setError(null);
    try {
      await must(api.POST("/api/v1/auth/verify-email/request"));
      setResent(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="auth-card">
      <h1>Verify your email</h1>
      {sentTo ? (
        <p role="status">
          We sent a code to <strong>{sentTo}</strong>.
        </p>
      ) : (
        <p>Enter the six-digit code we emailed you.</p>
      )}
      {sentTo && isLocal() ? (
        <p className="muted">
          Running locally? Read it in the{" "}
          <a href={`/dev/mailbox?to=${encodeURIComponent(sentTo)}`} target="_blank" rel="noreferrer">
            dev mailbox
          </a>
          .
        </p>
      ) : null}
      <form onSubmit={submit} className="stack">
        <label>
          Verification code
          <input
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <ProblemMessage error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Verify
          </button>
          <button type="button" onClick={resend}>
            Send a new code
          </button>
          <Link to="/profiles">Later</Link>
        </div>
        {resent ? <p role="status">A new code is on its way.</p> : null}
      </form>
    </section>
  );
}

/** The dev mailbox exists only on the local platform. */
function isLocal(): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(window.location.hostname);
}
