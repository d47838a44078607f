import { Link, useLocation } from "react-router";

/** Any unknown path. */
export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <section className="not-found">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{pathname}</code>.
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
