import { useState } from "react";
import { api, must } from "../api/client";
import { EmailField, PasswordField } from "../components/form/Field";
import { Form } from "../components/form/Form";
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

function ChangeEmail({ onChanged }: { onChanged: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <Form
      heading="Change email"
      submitLabel="Change email"
      primary={false}
      onSubmit={async () => {
        await must(api.POST("/api/v1/me/email", { body: { email, password } }));
        setPassword("");
        onChanged();
        return `We sent a code to ${email}; your previous address got a notice with a way to undo this. Other sessions were signed out.`;
      }}
    >
      <EmailField label="New email" value={email} onChange={setEmail} />
      <PasswordField label="Current password" value={password} onChange={setPassword} />
    </Form>
  );
}

function ChangePassword() {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  return (
    <Form
      heading="Change password"
      submitLabel="Change password"
      primary={false}
      onSubmit={async () => {
        await must(api.POST("/api/v1/me/password", { body: { currentPassword, newPassword } }));
        setCurrent("");
        setNew("");
        return "Your password was changed. Other sessions were signed out.";
      }}
    >
      <PasswordField label="Current password" value={currentPassword} onChange={setCurrent} />
      <PasswordField label="New password" value={newPassword} onChange={setNew} isNew />
    </Form>
  );
}

/** For an owner who changed the email because the previous mailbox is no longer safe. */
function CancelUndoLinks() {
  const [password, setPassword] = useState("");
  return (
    <Form
      heading="Cancel undo links"
      submitLabel="Cancel undo links"
      primary={false}
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
    </Form>
  );
}
