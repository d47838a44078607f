import { Link, Outlet } from "react-router";
import { NotificationBell } from "./NotificationBell";

/** The frame of every page but the embed: header (home, search, bell, account) and the page. */
export function Layout() {
  return (
    <>
      <header className="site-header">
        <Link to="/" className="brand">
          Marquee
        </Link>
        <NotificationBell />
      </header>
      <main className="page">
        <Outlet />
      </main>
    </>
  );
}
