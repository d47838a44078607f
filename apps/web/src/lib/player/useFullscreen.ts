import { type RefObject, useCallback, useEffect, useState } from "react";

export interface Fullscreen {
  /** The page may go full screen (false on iPhones and in iframes without allowfullscreen). */
  supported: boolean;
  /** The player (not just its <video>) is full screen. */
  active: boolean;
  toggle: () => void;
}

/**
 * Full screen for the whole player, so its own bar (speed, quality, chapters on the seek bar)
 * stays with the picture. Leaving works whatever is full screen (the native controls' <video>).
 * Entering needs a user gesture: a click or a key press.
 */
export function useFullscreen(ref: RefObject<HTMLElement | null>): Fullscreen {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const onChange = () =>
      setActive(document.fullscreenElement !== null && document.fullscreenElement === ref.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, [ref]);
  const toggle = useCallback(() => {
    const element = ref.current;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else if (element?.requestFullscreen) void element.requestFullscreen().catch(() => undefined);
  }, [ref]);
  const supported = typeof document !== "undefined" && document.fullscreenEnabled === true;
  return { supported, active, toggle };
}
