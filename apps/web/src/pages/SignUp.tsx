import { Link } from "react-router";
import { api, must } from "../api/client";
import { AuthForm, useStartSession } from "../components/form/AuthForm";
import { EmailField, Field, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";

/** Sign up: creates the account (and its first profile) and mails a verification code. */
export function SignUpPage() {
  const startSession = useStartSession();
  const { values, field } = useFormFields({ displayName: "", email: "", password: "" });

  return (
    <AuthForm
      title="Create your account"
      submitLabel="Sign up"
      busyLabel="Creating account…"
      onSubmit={async () => {
        const tokens = await must(api.POST("/api/v1/auth/signup", { body: values }));
        startSession(tokens, `/verify-email?sent=${encodeURIComponent(values.email)}`);
      }}
      footer={
        <p>
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      }
    >
      <Field
        label="Display name"
        name="displayName"
        autoComplete="nickname"
        required
        maxLength={50}
        {...field("displayName")}
      />
      <EmailField name="email" {...field("email")} />
      <PasswordField name="password" isNew hint="At least 10 characters." {...field("password")} />
    </AuthForm>
  );
}
