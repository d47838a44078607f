/** Verify the account's email with the code that was mailed. */
export function VerifyEmailPage() {
  return <h1>VerifyEmail</h1>;
}
