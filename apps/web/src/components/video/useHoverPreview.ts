import { type CSSProperties, type PointerEvent, useEffect, useRef, useState } from "react";
import { loadStoryboard, previewTiles, type StoryboardTile, tileBackground } from "../../lib/storyboard";

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
  const [tiles, setTiles] = useState<StoryboardTile[] | null>(null);
  const [frame, setFrame] = useState(0);
  const asked = useRef(false);

  function onPointerEnter(e: PointerEvent) {
    if (!storyboardUrl || !previewAllowed(e)) return;
    setHovering(true);
    if (asked.current) return;
    asked.current = true;
    void loadStoryboard(storyboardUrl).then(async (all) => {
      const picked = previewTiles(all);
      const first = picked[0];
      if (!first) return;
      await preloadImage(first.url).catch(() => undefined);
      setTiles(picked);
    });
  }
  function onPointerLeave() {
    setHovering(false);
    setFrame(0);
  }

  const playing = hovering && tiles !== null && tiles.length > 0;
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setFrame((f) => f + 1), FRAME_MS);
    return () => clearInterval(timer);
  }, [playing]);

  const tile = playing ? tiles[frame % tiles.length] : undefined;
  const style: CSSProperties | null = tile && tiles ? tileBackground(tile, tiles) : null;
  return { handlers: { onPointerEnter, onPointerLeave }, style };
}
