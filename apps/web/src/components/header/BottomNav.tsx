import { History, House, LayoutDashboard, Upload } from "lucide-react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

/**
 * The navigation bar at the bottom of small screens (under 720 px), where the header has room only
 * for the brand, search and the account: home, the creator's studio and upload, history.
 */
export function BottomNav({ creator }: { creator: boolean }) {
  const { t } = useTranslation("layout");
  const links = [
    { to: "/", label: t("nav.home"), Icon: House, end: true },
    ...(creator
      ? [
          { to: "/studio/upload", label: t("nav.upload"), Icon: Upload, end: false },
          { to: "/studio", label: t("nav.studio"), Icon: LayoutDashboard, end: true },
        ]
      : []),
    { to: "/history", label: t("nav.history"), Icon: History, end: false },
  ];
  return (
    <nav className="bottom-nav" aria-label={t("nav.label")}>
      <ul>
        {links.map(({ to, label, Icon, end }) => (
          <li key={to}>
            <NavLink to={to} end={end} className="bottom-nav-link">
              <Icon aria-hidden="true" />
              <span>{label}</span>
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
