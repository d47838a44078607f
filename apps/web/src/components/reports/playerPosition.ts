import type { Playback } from "../../api/types";
import { adBreakFromPlayback, contentTime } from "../../lib/player/adBreak";
import { reportAtSeconds } from "../../lib/reports";

/**
 * Where the watch page's player is in the content, in whole seconds (null before anything played),
 * for a report "at the current time". The Player keeps its <video> to itself, so this reads the one
 * on the page when the dialog opens; the stitched pre-roll is taken off (lib/player/adBreak.ts).
 */
export function currentPlayerSeconds(playback: Pick<Playback, "ad"> | null | undefined): number | null {
  if (typeof document === "undefined") return null;
  const video = document.querySelector<HTMLVideoElement>('video[data-testid="player-video"]');
  if (!video) return null;
  return reportAtSeconds(contentTime(video.currentTime, adBreakFromPlayback(playback?.ad)));
}
