/**
 * Light, dark or the OS's theme: `data-theme` on <html> (ui/tokens.css reads it), remembered per
 * profile in this browser (so the first paint is right) and on the profile itself when signed in.
 */
import { useEffect, useSyncExternalStore } from "react";
import type { Profile } from "../api/types";
import { profilesSnapshot, updateProfile } from "./profiles";
import { session } from "./session";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

const isTheme = (value: unknown): value is Theme => THEMES.includes(value as Theme);
const cacheKey = (profileId: string | null | undefined) => `marquee.theme.${profileId ?? "signed-out"}`;

function cachedTheme(profileId: string | null | undefined): Theme {
  try {
    const value = localStorage.getItem(cacheKey(profileId));
    return isTheme(value) ? value : "system";
  } catch {
    return "system";
  }
}

function cacheTheme(profileId: string | null | undefined, theme: Theme) {
  try {
    localStorage.setItem(cacheKey(profileId), theme);
  } catch {
    // private mode: the profile keeps it
  }
}

let current: Theme = "system";
const listeners = new Set<() => void>();

function apply(theme: Theme) {
  current = theme;
  document.documentElement.dataset.theme = theme;
  for (const listener of listeners) listener();
}

/** Before the first render (main.tsx): the theme this browser last used for the signed-in profile. */
export function applyInitialTheme(): void {
  apply(cachedTheme(session.get()?.profileId));
}

/** The theme and its setter, for the header's switch. */
export function useTheme(): { theme: Theme; setTheme: (theme: Theme) => void } {
  const theme = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
  const setTheme = (next: Theme) => {
    const profileId = session.get()?.profileId;
    apply(next);
    cacheTheme(profileId, next);
    // A kids profile may not edit profiles (the API answers 403): its choice lives in this
    // browser only, and useProfileTheme leaves it alone.
    if (profileId && !isKidsProfile(profileId))
      void updateProfile(profileId, { theme: next }).catch(() => undefined);
  };
  return { theme, setTheme };
}

/** Follows the active profile's saved theme when it loads or the profile changes (main.tsx). */
export function useProfileTheme(profile: Profile | null): void {
  const saved = profile?.theme;
  const profileId = profile?.id;
  const kids = profile?.maturity === "kids";
  useEffect(() => {
    if (!profileId || !isTheme(saved) || kids) return;
    cacheTheme(profileId, saved);
    if (saved !== current) apply(saved);
  }, [profileId, saved, kids]);
}

function isKidsProfile(profileId: string): boolean {
  return profilesSnapshot().find((p) => p.id === profileId)?.maturity === "kids";
}
