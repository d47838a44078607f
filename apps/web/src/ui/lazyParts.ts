import { cloneElement, type ReactElement, useState } from "react";

/**
 * A Radix-backed widget whose code loads on first use: the trigger is drawn at once, the Radix
 * part (and its positioning, focus and scroll-lock code) is fetched on hover or focus and shown on
 * the first click. Keeps Radix out of the JavaScript every page loads before it paints.
 */
export function lazyParts<T>(load: () => Promise<T>) {
  let parts: T | null = null;
  let pending: Promise<T> | null = null;
  const fetchParts = () => {
    pending ??= load().then((m) => {
      parts = m;
      return m;
    });
    return pending;
  };
  return {
    /** The loaded module (inside an open widget it always is). */
    get: (): T => {
      if (!parts) throw new Error("lazy UI parts used before they were loaded");
      return parts;
    },
    /**
     * Until the parts are loaded: the trigger, which preloads them on hover or focus and, when
     * clicked, loads them and asks to be shown open (`openOnLoad`).
     */
    useLoaded(): { parts: T | null; openOnLoad: boolean; open: () => void; preload: () => void } {
      const [state, setState] = useState<{ parts: T | null; openOnLoad: boolean }>({
        parts,
        openOnLoad: false,
      });
      const open = () => void fetchParts().then((m) => setState({ parts: m, openOnLoad: true }));
      return { ...state, open, preload: () => void fetchParts() };
    },
  };
}

/** The trigger standing in until the parts load, wired to preload and open them. */
export function standInTrigger(
  trigger: ReactElement<Record<string, unknown>>,
  popup: "menu" | "dialog",
  loaded: { open: () => void; preload: () => void },
  onClick?: () => void,
) {
  return cloneElement(trigger, {
    "aria-haspopup": popup,
    "aria-expanded": false,
    onPointerEnter: loaded.preload,
    onFocus: loaded.preload,
    onClick: () => {
      onClick?.();
      loaded.open();
    },
  });
}
