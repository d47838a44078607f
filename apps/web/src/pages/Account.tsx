import { type FormEvent, type ReactNode, useState } from "react";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { useLoad } from "../lib/useLoad";

/**
 * The account's security settings. Every change here asks for the current password: an access
 * token alone never moves the account (docs/security.md). Changing the email or the password ends
 * every other session.
 */
export function AccountPage() {
  const me = useLoad(() => must(api.GET("/api/v1/me")), []);
  return (
    <section className="stack">
      <h1>Account</h1>
      <ProblemMessage error={me.error} />
      {me.data ? (
        <p>
          Signed in as <strong>{me.data.email}</strong>
          {me.data.emailVerified ? "" : " (not verified yet)"}
        </p>
      ) : null}
      <ChangeEmail onChanged={me.reload} />
      <ChangePassword />
      <CancelUndoLinks />
    </section>
  );
}

/** One password-confirmed form: fields, a submit button, the problem or the success message. */
function SecureForm(props: {
  title: string;
  submitLabel: string;
  children: ReactNode;
  onSubmit: () => Promise<string>;
}) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setStatus(null);
    try {
      setStatus(await props.onSubmit());
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form onSubmit={submit} className="stack" aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children}
      <ProblemMessage error={error} />
      {status ? <p role="status">{status}</p> : null}
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}

function PasswordField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  isNew?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type="password"
        required
        minLength={props.isNew ? 10 : undefined}
        autoComplete={props.isNew ? "new-password" : "current-password"}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

function ChangeEmail({ onChanged }: { onChanged: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <SecureForm
      title="Change email"
      submitLabel="Change email"
      onSubmit={async () => {
        await must(api.POST("/api/v1/me/email", { body: { email, password } }));
        setPassword("");
        onChanged();
        return `We sent a code to ${email}; your previous address got a notice with a way to undo this. Other sessions were signed out.`;
      }}
    >
      <label>
        New email
        <input
          type="email"
          required
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <PasswordField label="Current password" value={password} onChange={setPassword} />
    </SecureForm>
  );
}

function ChangePassword() {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  return (
    <SecureForm
      title="Change password"
      submitLabel="Change password"
      onSubmit={async () => {
        await must(api.POST("/api/v1/me/password", { body: { currentPassword, newPassword } }));
        setCurrent("");
        setNew("");
        return "Your password was changed. Other sessions were signed out.";
      }}
    >
      <PasswordField label="Current password" value={currentPassword} onChange={setCurrent} />
      <PasswordField label="New password" value={newPassword} onChange={setNew} isNew />
    </SecureForm>
  );
}

/** For an owner who changed the email because the previous mailbox is no longer safe. */
function CancelUndoLinks() {
  const [password, setPassword] = useState("");
  return (
    <SecureForm
      title="Cancel undo links"
      submitLabel="Cancel undo links"
      onSubmit={async () => {
        await must(api.DELETE("/api/v1/me/email/undo-links", { body: { password } }));
        setPassword("");
        return "Pending undo links sent to your previous address no longer work.";
      }}
    >
      <p>
        After an email change, the previous address gets a link that can undo it for 7 days. If you moved
        because that mailbox is no longer safe, cancel the link here (allowed from a network you have used
        Marquee on for a while).
      </p>
      <PasswordField label="Current password" value={password} onChange={setPassword} />
    </SecureForm>
  );
}
