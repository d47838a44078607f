import { api, must } from "../api/client";
import { EmailField, PasswordField } from "../components/form/Field";
import { Form, type FormProps } from "../components/form/Form";
import { useFormFields } from "../components/form/useFormFields";
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
  const { values, field, reset } = useFormFields({ email: "", password: "" });
  return (
    <SettingsForm
      title="Change email"
      send={() => must(api.POST("/api/v1/me/email", { body: values }))}
      after={() => {
        reset("password");
        onChanged();
      }}
      success={`We sent a code to ${values.email}; your previous address got a notice with a way to undo this. Other sessions were signed out.`}
    >
      <EmailField label="New email" {...field("email")} />
      <PasswordField label="Current password" {...field("password")} />
    </SettingsForm>
  );
}

function ChangePassword() {
  const { values, field, reset } = useFormFields({ currentPassword: "", newPassword: "" });
  return (
    <SettingsForm
      title="Change password"
      send={() => must(api.POST("/api/v1/me/password", { body: values }))}
      after={reset}
      success="Your password was changed. Other sessions were signed out."
    >
      <PasswordField label="Current password" {...field("currentPassword")} />
      <PasswordField label="New password" {...field("newPassword")} isNew />
    </SettingsForm>
  );
}

/** For an owner who changed the email because the previous mailbox is no longer safe. */
function CancelUndoLinks() {
  const { values, field, reset } = useFormFields({ password: "" });
  return (
    <SettingsForm
      title="Cancel undo links"
      send={() => must(api.DELETE("/api/v1/me/email/undo-links", { body: values }))}
      after={reset}
      success="Pending undo links sent to your previous address no longer work."
    >
      <p>
        After an email change, the previous address gets a link that can undo it for 7 days. If you moved
        because that mailbox is no longer safe, cancel the link here (allowed from a network you have used
        Marquee on for a while).
      </p>
      <PasswordField label="Current password" {...field("password")} />
    </SettingsForm>
  );
}

/**
 * One setting's form: its title is both the heading and the (secondary) submit button. Once `send`
 * succeeds, `after` clears what should not stay on screen (the passwords) and `success` shows.
 */
function SettingsForm({
  title,
  send,
  after,
  success,
  ...form
}: Omit<FormProps, "heading" | "submitLabel" | "onSubmit"> & {
  title: string;
  send: () => Promise<unknown>;
  after: () => void;
  success: string;
}) {
  const onSubmit = async () => {
    await send();
    after();
    return success;
  };
  return <Form {...form} onSubmit={onSubmit} heading={title} submitLabel={title} primary={false} />;
}
