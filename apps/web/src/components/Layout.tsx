import { Upload } from "lucide-react";
import { Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet } from "react-router";
import { useProfiles } from "../lib/profiles";
import { useSession } from "../lib/session";
import { ButtonLink, PageLoading, ThemeSwitch } from "../ui";
import { AccountMenu } from "./AccountMenu";
import { AdsNav } from "./ads/AdsNav";
import { BottomNav } from "./header/BottomNav";
import { NotificationBell } from "./NotificationBell";
import { SearchBox } from "./SearchBox";

/**
 * The frame of every page but the embed: the header (brand, search, the creator's links, theme,
 * bell, account) and the page; on small screens a compact header and a bottom navigation bar.
 */
export function Layout() {
  const { t } = useTranslation(["layout", "common"]);
  const s = useSession();
  const { active } = useProfiles();
  const [searching, setSearching] = useState(false);
  // A kids profile watches; the studio is for the grown-ups of the account.
  const creator = Boolean(s) && active?.maturity !== "kids";
  return (
    <>
      <a href="#main" className="skip-link">
        {t("skip")}
      </a>
      <header className="site-header" data-searching={searching || undefined}>
        <Link to="/" className="site-brand">
          <svg className="site-brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <rect x="2" y="4" width="20" height="16" rx="4" />
            <path d="M10 8.5v7l6-3.5z" />
          </svg>
          <span>{t("common:brand")}</span>
        </Link>
        <SearchBox expanded={searching} onExpandedChange={setSearching} />
        <nav className="site-actions" aria-label={t("nav.account")}>
          {creator ? (
            <>
              <NavLink to="/studio" end className="site-nav-link site-wide-only">
                {t("nav.studio")}
              </NavLink>
              <ButtonLink to="/studio/upload" icon={<Upload />} className="site-wide-only">
                {t("nav.upload")}
              </ButtonLink>
            </>
          ) : null}
          <AdsNav enabled={creator} />
          <ThemeSwitch />
          <NotificationBell />
          <AccountMenu />
        </nav>
      </header>
      <main className="page" id="main">
        {/* A page waiting for strings it did not name in routes.tsx shows this, never raw keys. */}
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
      {s ? <BottomNav creator={creator} /> : null}
    </>
  );
}
