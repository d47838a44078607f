/** Request and confirm a password reset. */
export function ResetPasswordPage() {
  return <h1>ResetPassword</h1>;
}
