/**
 * The signed-in session in the browser: the access token (short-lived, carries the active profile)
 * and the refresh token (rotated on every use). Kept in localStorage so a reload keeps you signed
 * in; components subscribe to changes with `useSession()`.
 */
import { useSyncExternalStore } from "react";

const KEY = "marquee.session";

export interface SessionState {
  accessToken: string;
  refreshToken: string;
  accountId: string;
  profileId: string | null;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let current: SessionState | null = load();
let refreshing: Promise<string | null> | null = null;

function load(): SessionState | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as SessionState) : null;
  } catch {
    return null;
  }
}

/**
 * Tells the edge that this browser is signed in (a flag, no token): it then serves home without its
 * signed-out first screen, since the feed is personal (apps/edge/src/web/first-screen.ts). The
 * session itself stays in localStorage, which the edge never sees.
 */
const SIGNED_IN_COOKIE = "marquee_signed_in";

function markSignedIn(signedIn: boolean) {
  if (typeof document === "undefined") return;
  // biome-ignore lint/suspicious/noDocumentCookie: a synchronous one-line flag; the Cookie Store API is async and missing in older Safari and Firefox
  document.cookie = signedIn
    ? `${SIGNED_IN_COOKIE}=1; path=/; max-age=31536000; SameSite=Lax`
    : `${SIGNED_IN_COOKIE}=; path=/; max-age=0; SameSite=Lax`;
}
// A session from before the flag existed, or a flag left by a session since cleared elsewhere.
markSignedIn(current !== null);

function save(next: SessionState | null) {
  current = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  markSignedIn(next !== null);
  for (const l of listeners) l();
}

/** The profile id inside an access token (its `pid` claim), without verifying it (the API does). */
function profileOf(accessToken: string): string | null {
  try {
    const payload = JSON.parse(atob(accessToken.split(".")[1]?.replace(/-/g, "+").replace(/_/g, "/") ?? ""));
    return typeof payload.pid === "string" ? payload.pid : null;
  } catch {
    return null;
  }
}

export const session = {
  get: () => current,
  accessToken: () => current?.accessToken ?? null,
  signIn(tokens: {
    accessToken: string;
    refreshToken: string;
    accountId: string;
    profileId?: string | null;
  }) {
    save({
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accountId: tokens.accountId,
      profileId: tokens.profileId ?? profileOf(tokens.accessToken),
    });
  },
  /** After switching profile: a new access token for the same session. */
  setAccessToken(accessToken: string, profileId: string) {
    if (current) save({ ...current, accessToken, profileId });
  },
  signOut() {
    save(null);
  },
  /** Exchanges the refresh token once (concurrent callers share the same exchange). */
  refresh(): Promise<string | null> {
    if (!current) return Promise.resolve(null);
    refreshing ??= (async () => {
      const before = current;
      try {
        const res = await fetch("/api/v1/auth/refresh", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ refreshToken: before?.refreshToken }),
        });
        if (!res.ok) {
          save(null);
          return null;
        }
        const body = (await res.json()) as { accessToken: string; refreshToken: string };
        if (before)
          save({
            ...before,
            accessToken: body.accessToken,
            refreshToken: body.refreshToken,
            profileId: profileOf(body.accessToken) ?? before.profileId,
          });
        return body.accessToken;
      } catch {
        return null;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): SessionState | null {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}
