/**
 * The signed-in account's profiles, shared by the header's switcher and the profile picker so an
 * edit in one shows in the other. `refreshProfiles()` after any change.
 */
import { useEffect, useSyncExternalStore } from "react";
import { api, must } from "../api/client";
import type { Profile } from "../api/types";
import { SUPPORTED_LANGUAGES } from "../i18n/languages";
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

export type ProfilePatch = Partial<Pick<Profile, "name" | "maturity" | "language" | "theme">>;

/** Adds a profile to the account (it does not become the active one). */
export async function createProfile(body: Pick<Profile, "name" | "maturity">): Promise<Profile> {
  const created = await must(api.POST("/api/v1/me/profiles", { body }));
  await refreshProfiles();
  return created;
}

/** Changes a profile; for the active one, main.tsx follows its new language at once. */
export async function updateProfile(profileId: string, body: ProfilePatch): Promise<void> {
  await must(api.PATCH("/api/v1/me/profiles/{profileId}", { params: { path: { profileId } }, body }));
  await refreshProfiles();
}

/** Deletes a profile; deleting the one in use carries on as one that is left. */
export async function deleteProfile(profileId: string): Promise<void> {
  await must(api.DELETE("/api/v1/me/profiles/{profileId}", { params: { path: { profileId } } }));
  if (session.get()?.profileId === profileId) {
    const other = profilesSnapshot().find((p) => p.id !== profileId);
    if (other) await switchProfile(other.id);
  }
  await refreshProfiles();
}

/**
 * The languages a profile can pick: those the UI is written in, each named in itself ("Deutsch"),
 * plus the tag the profile already has when it is another one (kept, not silently replaced).
 */
export function languageOptions(current: string | null | undefined): { value: string; label: string }[] {
  const tags: string[] = [...SUPPORTED_LANGUAGES];
  if (current && !tags.includes(current)) tags.push(current);
  return tags.map((tag) => ({ value: tag, label: languageName(tag) }));
}

function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: "language" }).of(tag) ?? tag;
    return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
  } catch {
    return tag;
  }
}
