/**
 * hls.js (1.6+) draws subtitles through <track> elements it appends to the <video>, each with
 * `src="data:,WEBVTT"` so the browser counts the track as loaded. Our CSP (`media-src 'self'
 * blob:`) refuses data: URLs there: the track then fails to load (a CSP error in the console), and
 * Chromium puts a failed track's cues back on screen only as they are added, so a language turned
 * off and on again stayed blank. Each such track gets an empty WebVTT from a blob: URL instead,
 * swapped in as it is appended (a mutation record is read before the browser's load task runs).
 */

let emptyVtt: string | null = null;

function emptyVttUrl(): string {
  emptyVtt ??= URL.createObjectURL(new Blob(["WEBVTT\n"], { type: "text/vtt" }));
  return emptyVtt;
}

function allowSource(node: Node) {
  if (node instanceof HTMLTrackElement && node.getAttribute("src")?.startsWith("data:")) {
    node.src = emptyVttUrl();
  }
}

/** Keeps the <video>'s text tracks loadable under the CSP; returns the cleanup. */
export function keepTrackSourcesAllowed(video: HTMLVideoElement): () => void {
  if (typeof MutationObserver === "undefined" || typeof URL.createObjectURL !== "function") return () => {};
  for (const track of video.querySelectorAll("track")) allowSource(track);
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) allowSource(node);
  });
  observer.observe(video, { childList: true });
  return () => observer.disconnect();
}
