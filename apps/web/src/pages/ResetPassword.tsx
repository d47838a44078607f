import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthForm } from "../components/form/AuthForm";
import { EmailField, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";
import { session } from "../lib/session";

const TITLE = "Reset your password";

/** Request a password-reset link, or (with ?token= from the link) choose a new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  return token ? <ConfirmReset token={token} /> : <RequestReset />;
}

function RequestReset() {
  const { values, field } = useFormFields({ email: "" });
  return (
    <AuthForm
      title={TITLE}
      submitLabel="Send reset link"
      onSubmit={async () => {
        await must(api.POST("/api/v1/auth/password-reset/request", { body: values }));
      }}
      success={
        <>
          If an account uses <strong>{values.email}</strong>, we sent it a link to reset the password. It
          works for an hour.
        </>
      }
    >
      <EmailField name="email" {...field("email")} />
    </AuthForm>
  );
}

function ConfirmReset({ token }: { token: string }) {
  const { values, field } = useFormFields({ password: "" });
  return (
    <AuthForm
      title={TITLE}
      submitLabel="Set new password"
      onSubmit={async () => {
        await must(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, ...values } }));
        // Every session of the account was revoked, this one included.
        session.signOut();
      }}
      success={
        <>
          Your password was changed. <Link to="/signin">Sign in</Link> with the new one.
        </>
      }
    >
      <PasswordField label="New password" name="password" isNew {...field("password")} />
    </AuthForm>
  );
}
