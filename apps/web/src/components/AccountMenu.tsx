import { useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api } from "../api/client";
import { switchProfile, useProfiles } from "../lib/profiles";
import { session, useSession } from "../lib/session";
import { ProblemMessage } from "./ProblemMessage";

/**
 * The header's account menu: the active profile, switching to another without signing out,
 * managing profiles, history and sign out. A <details> disclosure, so it works by keyboard.
 */
export function AccountMenu() {
  const s = useSession();
  const navigate = useNavigate();
  const { items, active } = useProfiles();
  const [error, setError] = useState<unknown>(null);
  const menu = useRef<HTMLDetailsElement>(null);

  if (!s)
    return (
      <Link to="/signin" className="button primary">
        Sign in
      </Link>
    );

  const close = () => menu.current?.removeAttribute("open");

  async function choose(profileId: string) {
    setError(null);
    try {
      await switchProfile(profileId);
      close();
      navigate("/");
    } catch (err) {
      setError(err);
    }
  }

  async function signOut() {
    close();
    // Revoke the session server-side; sign out locally whatever the answer.
    await api.POST("/api/v1/auth/logout").catch(() => undefined);
    session.signOut();
    navigate("/");
  }

  const name = active?.name ?? "Account";
  return (
    <details className="account-menu" ref={menu}>
      <summary aria-label={`Account menu (${name})`}>
        <span className="avatar small" aria-hidden="true">
          {Array.from(name)[0]?.toUpperCase()}
        </span>
        <span className="account-name">{name}</span>
        {active?.maturity === "kids" ? <span className="badge kids">Kids</span> : null}
      </summary>
      <div className="menu">
        <p className="menu-heading">Switch profile</p>
        <ul aria-label="Switch profile">
          {(items ?? []).map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="menu-item"
                onClick={() => choose(p.id)}
                aria-current={p.id === s.profileId ? "true" : undefined}
                disabled={p.id === s.profileId}
              >
                {p.name}
                {p.maturity === "kids" ? <span className="badge kids">Kids</span> : null}
              </button>
            </li>
          ))}
        </ul>
        <ProblemMessage error={error} />
        <Link to="/profiles" onClick={close}>
          Manage profiles
        </Link>
        <Link to="/history" onClick={close}>
          History
        </Link>
        <Link to="/account" onClick={close}>
          Account
        </Link>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
    </details>
  );
}
