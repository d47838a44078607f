import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { refreshProfiles } from "../lib/profiles";
import { session } from "../lib/session";

/** Sign up: creates the account (and its first profile) and mails a verification code. */
export function SignUpPage() {
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const tokens = await must(api.POST("/api/v1/auth/signup", { body: { displayName, email, password } }));
      session.signIn(tokens);
      void refreshProfiles();
      navigate(`/verify-email?sent=${encodeURIComponent(email)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="auth-card">
      <h1>Create your account</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Display name
          <input
            name="displayName"
            autoComplete="nickname"
            required
            maxLength={50}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </label>
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
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <small className="muted">At least 10 characters.</small>
        </label>
        <ProblemMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating account…" : "Sign up"}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </section>
  );
}
