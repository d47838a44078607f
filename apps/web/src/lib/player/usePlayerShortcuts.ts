import { type RefObject, useEffect, useRef } from "react";
import { type AdBreak, contentTime, mediaTime } from "./adBreak";
import { keyBelongsTo, type PlayerAction, shortcutFor, steppedVolume, toggleCaptions } from "./shortcuts";

export interface ShortcutContext {
  videoRef: RefObject<HTMLVideoElement | null>;
  ad: AdBreak | null;
  /** The stitched ad is on: nothing seeks until it is over (the scrubber waits too). */
  adPlaying: boolean;
  /** The content's duration in seconds (0 while unknown). */
  duration: number;
  /** The help overlay is open: its keys are its own (Escape closes it). */
  helpOpen: boolean;
  toggleFullscreen: () => void;
  /** Captions off, or back on in the remembered language (the captions menu's, useCaptions.ts); false without tracks. */
  toggleCaptions?: () => boolean;
  openHelp: () => void;
}

/**
 * The keyboard shortcuts (shortcuts.ts) while focus is anywhere in the player: the <video> (its
 * native controls included) or the bar's controls. A key the focused control needs (typing, the
 * seek bar's arrows, Space on a button) is left to it; a key the player takes is default-prevented,
 * so the page does not scroll and the native controls do not act on it too. That is why the
 * listener is in the capture phase: Chromium's controls act on Space in the <video>'s own
 * listeners, before the key would bubble up to the player (they toggled the pause straight back).
 * A native listener on the player's element, not a React prop: React would also bubble keys from
 * portals (a dialog over the page) into the player.
 */
export function usePlayerShortcuts(containerRef: RefObject<HTMLElement | null>, context: ShortcutContext) {
  // Read at the key press: the listener is attached once.
  const latest = useRef(context);
  latest.current = context;
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const c = latest.current;
      const video = c.videoRef.current;
      if (!video || c.helpOpen || event.defaultPrevented || event.isComposing) return;
      const shortcut = shortcutFor(event);
      if (!shortcut) return;
      if (event.target instanceof HTMLElement && keyBelongsTo(event.target, event.key)) return;
      // An open menu (the captions', drawn inside the player at full screen) has its own keys.
      if (event.target instanceof Element && event.target.closest('[role="menu"]')) return;
      event.preventDefault();
      perform(shortcut.action, event.key, video, c);
    };
    container.addEventListener("keydown", onKeyDown, { capture: true });
    return () => container.removeEventListener("keydown", onKeyDown, { capture: true });
  }, [containerRef]);
}

function perform(action: PlayerAction, key: string, video: HTMLVideoElement, c: ShortcutContext) {
  // In content time, like the scrubber: the stitched ad is not part of the content's timeline.
  const seek = (content: number) => {
    if (c.adPlaying) return;
    const end = c.duration > 0 ? c.duration : Number.POSITIVE_INFINITY;
    video.currentTime = mediaTime(Math.min(Math.max(0, content), end), c.ad);
  };
  switch (action.kind) {
    case "togglePlay":
      if (video.paused || video.ended) void video.play().catch(() => undefined);
      else video.pause();
      return;
    case "seekBy":
      return seek(contentTime(video.currentTime, c.ad) + action.seconds);
    case "seekToDigit":
      if (c.duration > 0) seek((c.duration * Number(key)) / 10);
      return;
    case "volumeBy":
      video.volume = steppedVolume(video.volume, action.step);
      // Turning it up is wanting to hear it.
      if (action.step > 0) video.muted = false;
      return;
    case "mute":
      video.muted = !video.muted;
      return;
    case "captions":
      // The menu's toggle keeps it in step and remembers; the text tracks' own is the fallback.
      if (!c.toggleCaptions?.()) toggleCaptions(video.textTracks);
      return;
    case "fullscreen":
      return c.toggleFullscreen();
    case "help":
      return c.openHelp();
  }
}
