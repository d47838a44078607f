/**
 * Volume, mute, playback speed and captions, remembered per profile in this browser (like the
 * theme, lib/theme.ts): applied when a player mounts (captions once the stream's tracks are known,
 * useCaptions.ts), saved whenever the viewer changes them.
 */
import { type RefObject, useEffect } from "react";
import { session } from "../session";
import type { CaptionsChoice } from "./captions";

/** The speeds the player offers (the speed menu lists these). */
export const PLAYBACK_RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

export interface PlayerPrefs {
  /** 0…1 */
  volume: number;
  muted: boolean;
  rate: number;
  /** The captions menu's last choice, "off" or a language tag: re-applied when a video has that language. */
  captions?: CaptionsChoice;
  /** The last language chosen, kept while captions are off: what the `c` key turns back on. */
  captionsLanguage?: string;
}

/** The part of localStorage used here (tests pass a Map-backed one). */
export type PrefsStorage = Pick<Storage, "getItem" | "setItem">;

export const prefsKey = (profileId: string | null | undefined) =>
  `marquee.player.${profileId ?? "signed-out"}`;

/** A language tag as streams and the captions API spell them (`en`, `pt-BR`, `zh-Hant-TW`). */
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8}){0,3}$/;
const isTag = (value: unknown): value is string =>
  typeof value === "string" && LANGUAGE_TAG.test(value) && value.toLowerCase() !== "off";

/** What is stored for the profile, each value checked (a bad or missing one is left out). */
export function readPrefs(storage: PrefsStorage, profileId: string | null | undefined): Partial<PlayerPrefs> {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(prefsKey(profileId)) ?? "null");
  } catch {
    return {};
  }
  if (typeof raw !== "object" || raw === null) return {};
  const { volume, muted, rate, captions, captionsLanguage } = raw as Record<string, unknown>;
  return {
    ...(typeof volume === "number" && volume >= 0 && volume <= 1 ? { volume } : {}),
    ...(typeof muted === "boolean" ? { muted } : {}),
    ...(PLAYBACK_RATES.includes(rate as (typeof PLAYBACK_RATES)[number]) ? { rate: rate as number } : {}),
    ...(captions === "off" || isTag(captions) ? { captions } : {}),
    ...(isTag(captionsLanguage) ? { captionsLanguage } : {}),
  };
}

export function savePrefs(
  storage: PrefsStorage,
  profileId: string | null | undefined,
  prefs: Partial<PlayerPrefs>,
) {
  try {
    storage.setItem(prefsKey(profileId), JSON.stringify(prefs));
  } catch {
    // Private mode or a full storage: the player works, it just forgets.
  }
}

/** What the prefs touch on the <video>. */
export type PrefsMedia = Pick<HTMLMediaElement, "volume" | "muted" | "playbackRate" | "defaultPlaybackRate">;

/**
 * Puts the prefs on the element. The speed goes on defaultPlaybackRate too: attaching a source
 * (hls.js on the viewer's first reach, a new manifest after an upgrade) runs the media element's
 * load algorithm, which resets playbackRate to defaultPlaybackRate.
 */
export function applyPrefs(video: PrefsMedia, prefs: Partial<PlayerPrefs>) {
  if (prefs.volume !== undefined) video.volume = prefs.volume;
  if (prefs.muted !== undefined) video.muted = prefs.muted;
  if (prefs.rate !== undefined) {
    video.defaultPlaybackRate = prefs.rate;
    video.playbackRate = prefs.rate;
  }
}

/**
 * Elements muted by the pipeline, not the viewer: autoplay refused with sound plays muted
 * (useHls' playOrMuted). That mute is the browser's policy, so it is not remembered; the mark goes
 * once the element is unmuted, and a later mute is the viewer's own.
 */
const mutedByPolicy = new WeakSet<object>();

export function markMutedByPolicy(video: object) {
  mutedByPolicy.add(video);
}

/**
 * The prefs to save after a change on the element; `muted` is the stored one while the policy's
 * mute lasts, and the captions' are kept as stored (the element's volume says nothing of them).
 */
export function prefsToSave(video: PrefsMedia, stored: Partial<PlayerPrefs>): PlayerPrefs {
  if (!video.muted) mutedByPolicy.delete(video);
  const muted = mutedByPolicy.has(video) ? (stored.muted ?? false) : video.muted;
  const { captions, captionsLanguage } = stored;
  return {
    volume: video.volume,
    muted,
    rate: video.playbackRate,
    ...(captions ? { captions } : {}),
    ...(captionsLanguage ? { captionsLanguage } : {}),
  };
}

/**
 * Remembers the captions menu's choice for the profile, beside its other prefs: "off" keeps the
 * last language (the `c` key turns it back on); a language becomes the last one too.
 */
export function rememberCaptions(
  storage: PrefsStorage,
  profileId: string | null | undefined,
  choice: CaptionsChoice,
) {
  if (choice !== "off" && !isTag(choice)) return;
  const stored = readPrefs(storage, profileId);
  savePrefs(storage, profileId, {
    ...stored,
    captions: choice,
    ...(choice === "off" ? {} : { captionsLanguage: choice }),
  });
}

export function localStore(): PrefsStorage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The profile's prefs on the player's <video> when it mounts, saved on every volumechange and
 * ratechange. The profile is the one signed in at mount: the player belongs to it.
 */
export function useRememberedPlayback(videoRef: RefObject<HTMLVideoElement | null>) {
  useEffect(() => {
    const video = videoRef.current;
    const storage = localStore();
    if (!video || !storage) return;
    const profileId = session.get()?.profileId;
    applyPrefs(video, readPrefs(storage, profileId));
    const save = () => {
      // A speed from elsewhere (the browser's own controls) survives the next load too.
      if (video.defaultPlaybackRate !== video.playbackRate) video.defaultPlaybackRate = video.playbackRate;
      savePrefs(storage, profileId, prefsToSave(video, readPrefs(storage, profileId)));
    };
    video.addEventListener("volumechange", save);
    video.addEventListener("ratechange", save);
    return () => {
      video.removeEventListener("volumechange", save);
      video.removeEventListener("ratechange", save);
    };
  }, [videoRef]);
}
