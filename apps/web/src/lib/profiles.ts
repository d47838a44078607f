/**
 * The signed-in account's profiles, shared by the header's switcher and the profile picker so an
 * edit in one shows in the other. `refreshProfiles()` after any change.
 */
import { useEffect, useSyncExternalStore } from "react";
import { api, must } from "../api/client";
import type { Profile } from "../api/types";
import { session, useSession } from "./session";

interface State {
  accountId: string | null;
  items: Profile[] | null;
  error: unknown;
}

let state: State = { accountId: null, items: null, error: null };
const listeners = new Set<() => void>();
let inflight: Promise<void> | null = null;

function set(next: State) {
  state = next;
  for (const l of listeners) l();
}

export function refreshProfiles(): Promise<void> {
  const current = session.get();
  if (!current) {
    set({ accountId: null, items: null, error: null });
    return Promise.resolve();
  }
  inflight ??= must(api.GET("/api/v1/me/profiles"))
    .then(
      (body) => set({ accountId: current.accountId, items: body.items, error: null }),
      (error: unknown) => set({ ...state, accountId: current.accountId, error }),
    )
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/** The profiles as last loaded (outside React). */
export function profilesSnapshot(): Profile[] {
  return state.items ?? [];
}

/** Switches the session to another profile without signing out; the new access token carries it. */
export async function switchProfile(profileId: string): Promise<Profile> {
  const switched = await must(
    api.POST("/api/v1/me/profiles/{profileId}/switch", { params: { path: { profileId } } }),
  );
  session.setAccessToken(switched.accessToken, switched.profile.id);
  return switched.profile;
}

export function useProfiles(): State & { active: Profile | null } {
  const s = useSession();
  const current = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
  const accountId = s?.accountId ?? null;
  useEffect(() => {
    if (accountId && state.accountId !== accountId) void refreshProfiles();
    if (!accountId && state.accountId) set({ accountId: null, items: null, error: null });
  }, [accountId]);
  const items = current.accountId === accountId ? current.items : null;
  return {
    ...current,
    items,
    active: items?.find((p) => p.id === s?.profileId) ?? null,
  };
}
