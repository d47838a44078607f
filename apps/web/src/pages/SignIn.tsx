import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { AuthForm, useStartSession } from "../components/form/AuthForm";
import { EmailField, PasswordField } from "../components/form/Field";
import { useFormFields } from "../components/form/useFormFields";

/** Where to go after signing in: a same-site path from ?next=, never another origin. */
export function safeNext(next: string | null): string | null {
  return next?.startsWith("/") && !next.startsWith("//") ? next : null;
}

/** Sign in, then pick a profile. */
export function SignInPage() {
  const startSession = useStartSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const { values, field } = useFormFields({ email: "", password: "" });

  return (
    <AuthForm
      title="Sign in"
      submitLabel="Sign in"
      busyLabel="Signing in…"
      onSubmit={async () => {
        const tokens = await must(api.POST("/api/v1/auth/login", { body: values }));
        startSession(tokens, next ? `/profiles?next=${encodeURIComponent(next)}` : "/profiles");
      }}
      footer={
        <>
          <p>
            <Link to="/reset-password">Forgot your password?</Link>
          </p>
          <p>
            New to Marquee? <Link to="/signup">Create an account</Link>
          </p>
        </>
      }
    >
      <EmailField name="email" autoComplete="username" {...field("email")} />
      <PasswordField name="password" {...field("password")} />
    </AuthForm>
  );
}
