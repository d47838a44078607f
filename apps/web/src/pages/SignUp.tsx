/** Sign up. */
export function SignUpPage() {
  return <h1>SignUp</h1>;
}
