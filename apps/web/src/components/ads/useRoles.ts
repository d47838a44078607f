import { useEffect, useState } from "react";
import { api, must } from "../../api/client";
import { useSession } from "../../lib/session";

/**
 * The signed-in account's roles (GET /api/v1/me), asked once per account and shared by every
 * component that wants them (the header's links, the ads pages' gates). Null while unknown or
 * signed out. Roles are read from D1 on every API request, so the API has the last word anyway.
 */
const cache = new Map<string, Promise<string[]>>();

function rolesOf(accountId: string): Promise<string[]> {
  let roles = cache.get(accountId);
  if (!roles) {
    roles = must(api.GET("/api/v1/me")).then((me) => [...me.roles]);
    // A failed read is asked again next time, not remembered.
    roles.catch(() => cache.delete(accountId));
    cache.set(accountId, roles);
  }
  return roles;
}

export function useRoles(): { roles: string[] | null; error: unknown } {
  const accountId = useSession()?.accountId ?? null;
  const [state, setState] = useState<{ for: string | null; roles: string[] | null; error: unknown }>({
    for: null,
    roles: null,
    error: null,
  });
  useEffect(() => {
    if (!accountId) return;
    let live = true;
    rolesOf(accountId).then(
      (roles) => live && setState({ for: accountId, roles, error: null }),
      (error: unknown) => live && setState({ for: accountId, roles: null, error }),
    );
    return () => {
      live = false;
    };
  }, [accountId]);
  return state.for === accountId ? { roles: state.roles, error: state.error } : { roles: null, error: null };
}

/** Runs campaigns: advertisers (their own) and admins. */
export const canAdvertise = (roles: readonly string[]) =>
  roles.includes("advertiser") || roles.includes("admin");
/** Reviews ad creatives: moderators and admins. */
export const canReviewAds = (roles: readonly string[]) =>
  roles.includes("moderator") || roles.includes("admin");
