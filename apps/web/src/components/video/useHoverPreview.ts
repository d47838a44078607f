import { type CSSProperties, type PointerEvent, useEffect, useRef, useState } from "react";
import type { StoryboardTile } from "../../lib/storyboard";

/** The storyboard module, loaded on the first hover: pages of cards need none of it until then. */
type StoryboardLib = typeof import("../../lib/storyboard");

const FRAME_MS = 650;

function previewAllowed(e: PointerEvent): boolean {
  if (e.pointerType !== "mouse") return false;
  return !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/** Resolves once the sprite image is in the cache, so the first frame never shows blank. */
function preloadImage(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve();
    img.onerror = reject;
    img.src = url;
  });
}

/**
 * A hover preview over a thumbnail: on the first mouse hover the storyboard (and its sprite) is
 * fetched, then its frames cycle while the pointer stays. Nothing on touch or under reduced motion.
 * Returns the pointer handlers for the thumbnail and the style of the frame (null: show the poster).
 */
export function useHoverPreview(storyboardUrl: string | null) {
  const [hovering, setHovering] = useState(false);
  const [preview, setPreview] = useState<{ tiles: StoryboardTile[]; lib: StoryboardLib } | null>(null);
  const [frame, setFrame] = useState(0);
  const asked = useRef(false);

  function onPointerEnter(e: PointerEvent) {
    if (!storyboardUrl || !previewAllowed(e)) return;
    setHovering(true);
    if (asked.current) return;
    asked.current = true;
    void import("../../lib/storyboard").then(async (lib) => {
      const picked = lib.previewTiles(await lib.loadStoryboard(storyboardUrl));
      const first = picked[0];
      if (!first) return;
      await preloadImage(first.url).catch(() => undefined);
      setPreview({ tiles: picked, lib });
    });
  }
  function onPointerLeave() {
    setHovering(false);
    setFrame(0);
  }

  const playing = hovering && preview !== null && preview.tiles.length > 0;
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setFrame((f) => f + 1), FRAME_MS);
    return () => clearInterval(timer);
  }, [playing]);

  const tile = playing ? preview.tiles[frame % preview.tiles.length] : undefined;
  const style: CSSProperties | null =
    tile && preview ? preview.lib.tileBackground(tile, preview.tiles) : null;
  return { handlers: { onPointerEnter, onPointerLeave }, style };
}
