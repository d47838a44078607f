/**
 * Master-playlist filtering: a viewer gets only the renditions their plan (and Save-Data) allows.
 * Each `#EXT-X-STREAM-INF` line is followed by its URI line; both go or stay together.
 */
export function filterMasterPlaylist(text: string, maxHeight: number): { playlist: string; kept: number } {
  const lines = text.split("\n");
  const out: string[] = [];
  let kept = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("#EXT-X-STREAM-INF:")) {
      const height = Number(/RESOLUTION=\d+x(\d+)/.exec(line)?.[1] ?? "0");
      const uri = lines[i + 1] ?? "";
      i++;
      if (height > maxHeight) continue;
      kept++;
      out.push(line, uri);
      continue;
    }
    out.push(line);
  }
  return { playlist: out.join("\n"), kept };
}

/** The smallest rendition's height in a master playlist, so a cap below it still plays something. */
export function lowestHeight(text: string): number {
  const heights = [...text.matchAll(/RESOLUTION=\d+x(\d+)/g)].map((m) => Number(m[1]));
  return heights.length ? Math.min(...heights) : 0;
}

export const isFinishedPlaylist = (text: string) => text.includes("#EXT-X-ENDLIST");

const TYPES: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  mp4: "video/mp4",
  m4s: "video/iso.segment",
  jpg: "image/jpeg",
  vtt: "text/vtt; charset=utf-8",
};

export function contentTypeOf(path: string): string {
  return TYPES[path.slice(path.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}
