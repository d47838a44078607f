import type Hls from "hls.js";

export type HlsClass = typeof Hls;

let loading: Promise<HlsClass> | null = null;

/**
 * hls.js (~180 kB gzipped), fetched on first use: only the watch and embed pages pay for it, and
 * only once they know what to play. The full build, not `hls.js/light`: our ladders carry their
 * audio as a separate rendition (EXT-X-MEDIA TYPE=AUDIO), which the light build cannot play.
 */
export function loadHls(): Promise<HlsClass> {
  loading ??= import("hls.js").then((m) => m.default);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** Whether the page can feed a <video> through Media Source Extensions (what hls.js needs). */
export function hasMediaSource(): boolean {
  return typeof window !== "undefined" && ("MediaSource" in window || "ManagedMediaSource" in window);
}

/**
 * Resolves at the viewer's first reach for the player: a pointer over it, a touch, keyboard focus
 * on it or its controls, or a play (native controls, a script's `video.play()`). Until then the page
 * is a poster and words, and pays nothing for the player's code (a "facade", as Lighthouse calls it);
 * a play that came first is played again once hls.js has attached (attaching resets the element,
 * which drops the play it was asked for).
 * `signal` stops listening when the player goes away.
 */
export function firstIntent(video: HTMLVideoElement, signal: AbortSignal): Promise<"play" | "reach"> {
  // The whole player, controls included: a seek on the scrub bar is a reach too.
  const target = video.closest(".player") ?? video.parentElement ?? video;
  return new Promise((resolve) => {
    const options = { once: true, passive: true, signal } as const;
    for (const type of ["pointerover", "touchstart", "focusin"] as const) {
      target.addEventListener(type, () => resolve("reach"), options);
    }
    video.addEventListener("play", () => resolve("play"), options);
  });
}

/**
 * Resolves once the poster has arrived (or after `capMs`) and had a frame to paint: the poster is
 * the page's largest paint, so the player's code waits behind it rather than sharing the line.
 */
export function afterPoster(posterUrl: string | undefined, capMs = 2500): Promise<void> {
  const poster = new Promise<void>((resolve) => {
    if (!posterUrl) return resolve();
    // The same URL as the <video poster>: the browser shares the one request.
    const image = new Image();
    image.onload = image.onerror = () => resolve();
    image.src = posterUrl;
    setTimeout(resolve, capMs);
  });
  // A hidden tab has no frames: the timer goes on without one.
  const painted = () =>
    new Promise<void>((resolve) => {
      requestAnimationFrame(() => setTimeout(resolve, 0));
      setTimeout(resolve, 100);
    });
  return poster.then(painted);
}
