import { lazy, Suspense } from "react";
import { useRoles } from "../ads/useRoles";
import { canModerate, isAdmin } from "./roles";

// The links, their icons and the `moderation` strings load only for staff accounts: the shell
// (and the home page's budget) carries just this gate.
const StaffLinks = lazy(() => import("./StaffLinks").then((m) => ({ default: m.StaffLinks })));

/**
 * The account menu's staff links: the review queue and appeals for moderators and admins; users,
 * the audit log and configuration for admins. Under their own Suspense: the menu never waits.
 */
export function ModerationMenuItems({ enabled }: { enabled: boolean }) {
  const { roles } = useRoles();
  if (!enabled || !roles || !canModerate(roles)) return null;
  return (
    <Suspense fallback={null}>
      <StaffLinks admin={isAdmin(roles)} />
    </Suspense>
  );
}
