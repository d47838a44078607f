import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { session } from "../lib/session";

/** Request a password-reset link, or (with ?token= from the link) choose a new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  return (
    <section className="auth-card">
      <h1>Reset your password</h1>
      {token ? <ConfirmReset token={token} /> : <RequestReset />}
    </section>
  );
}

function RequestReset() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await must(api.POST("/api/v1/auth/password-reset/request", { body: { email } }));
      setSent(true);
    } catch (err) {
      setError(err);
    }
  }

  if (sent)
    return (
      <p role="status">
        If an account uses <strong>{email}</strong>, we sent it a link to reset the password. It works for an
        hour.
      </p>
    );
  return (
    <form onSubmit={submit} className="stack">
      <label>
        Email
        <input
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary">
        Send reset link
      </button>
    </form>
  );
}

function ConfirmReset({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await must(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password } }));
      // Every session of the account was revoked, this one included.
      session.signOut();
      setDone(true);
    } catch (err) {
      setError(err);
    }
  }

  if (done)
    return (
      <p role="status">
        Your password was changed. <Link to="/signin">Sign in</Link> with the new one.
      </p>
    );
  return (
    <form onSubmit={submit} className="stack">
      <label>
        New password
        <input
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary">
        Set new password
      </button>
    </form>
  );
}
