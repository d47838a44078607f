import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthForm } from "../components/form/AuthForm";
import { PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";
import { session } from "../lib/session";

/**
 * The undo link mailed to the previous address after an email change (`?token=`): gives the
 * account its old address back and sets a new password, since whoever changed the email may know
 * the current one. Every session of the account ends, this browser's included.
 */
export function UndoEmailChangePage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const { values, field } = useFormFields({ password: "" });

  return (
    <AuthForm
      title="Undo the email change"
      submitLabel="Restore my email address"
      onSubmit={async () => {
        await must(api.POST("/api/v1/auth/email-change/undo", { body: { token, ...values } }));
        session.signOut();
      }}
      success={
        <>
          Your account has its previous email address back and every session was signed out.{" "}
          <Link to="/signin">Sign in</Link> with the new password.
        </>
      }
      outcome={
        token ? null : (
          <p role="alert">This page needs the link from the email we sent to your previous address.</p>
        )
      }
    >
      <p>Choose a new password: whoever changed your email may know the current one.</p>
      <PasswordField label="New password" name="password" isNew {...field("password")} />
    </AuthForm>
  );
}
