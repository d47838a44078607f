import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { session } from "../lib/session";

/**
 * The undo link mailed to the previous address after an email change (`?token=`): gives the
 * account its old address back and sets a new password, since whoever changed the email may know
 * the current one. Every session of the account ends, this browser's included.
 */
export function UndoEmailChangePage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await must(api.POST("/api/v1/auth/email-change/undo", { body: { token, password } }));
      session.signOut();
      setDone(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="auth-card">
      <h1>Undo the email change</h1>
      {done ? (
        <p role="status">
          Your account has its previous email address back and every session was signed out.{" "}
          <Link to="/signin">Sign in</Link> with the new password.
        </p>
      ) : !token ? (
        <p role="alert">This page needs the link from the email we sent to your previous address.</p>
      ) : (
        <form onSubmit={submit} className="stack">
          <p>Choose a new password: whoever changed your email may know the current one.</p>
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
            Restore my email address
          </button>
        </form>
      )}
    </section>
  );
}
