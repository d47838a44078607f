/**
 * Asking the watch page's player to play from a point in the content (a chapter in the list below
 * it) without holding its <video>: an event on the element, which the Player answers in content
 * time (a stitched pre-roll is allowed for) and starts playing, loading hls.js first if needed.
 */
export const SEEK_REQUEST = "marquee:seek";

export function requestSeek(contentSeconds: number): boolean {
  const video = document.querySelector<HTMLVideoElement>('video[data-testid="player-video"]');
  if (!video) return false;
  video.dispatchEvent(new CustomEvent<number>(SEEK_REQUEST, { detail: contentSeconds }));
  return true;
}
