import { Link, NavLink, Outlet } from "react-router";
import { useProfiles } from "../lib/profiles";
import { useSession } from "../lib/session";
import { AccountMenu } from "./AccountMenu";
import { NotificationBell } from "./NotificationBell";
import { SearchBox } from "./SearchBox";

/** The frame of every page but the embed: header (home, search, bell, account) and the page. */
export function Layout() {
  const s = useSession();
  const { active } = useProfiles();
  // A kids profile watches; the studio is for the grown-ups of the account.
  const creator = Boolean(s) && active?.maturity !== "kids";
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Marquee
        </Link>
        <SearchBox />
        <nav className="header-actions" aria-label="Account">
          {creator ? (
            <>
              <NavLink to="/studio" end>
                Studio
              </NavLink>
              <NavLink to="/studio/upload">Upload</NavLink>
            </>
          ) : null}
          <NotificationBell />
          <AccountMenu />
        </nav>
      </header>
      <main className="page" id="main">
        <Outlet />
      </main>
    </>
  );
}
