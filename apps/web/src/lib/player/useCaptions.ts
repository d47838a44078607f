import type Hls from "hls.js";
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { session } from "../session";
import { type CaptionTrack, orderTracks, toggledTrack, trackFor, tracksKey } from "./captions";
import type { HlsClass } from "./loadHls";
import { localStore, readPrefs, rememberCaptions } from "./playerPrefs";
import { keepTrackSourcesAllowed } from "./trackSources";

export interface Captions {
  /** The stream's subtitle tracks in the menu's order (the viewer's language first); none: no menu. */
  tracks: CaptionTrack[];
  /** The index of the track showing, -1 when captions are off. */
  active: number;
  /** Shows a track (-1: off) and remembers the choice for the profile. */
  choose: (index: number) => void;
  /** The `c` key: off, or back on in the last language chosen. False when there are no tracks. */
  toggle: () => boolean;
  /** Reads the tracks from this hls.js instance while it is attached (useHls' onAttach). */
  observeHls: (hls: Hls, HlsJs: HlsClass) => void;
}

/** Where the tracks come from: hls.js, or the browser's own HLS (the <video>'s text tracks). */
interface Source {
  tracks(): CaptionTrack[];
  active(): number;
  select(index: number): void;
  stop(): void;
}

/**
 * hls.js' subtitle tracks (the master's SUBTITLES renditions). hls.js renders their cues into text
 * tracks of the <video> (mode "showing" for the chosen one, with subtitleDisplay on). It settles
 * its own choice right after telling the tracks, so we read (and choose) after it, a microtask on.
 */
function hlsSource(hls: Hls, HlsJs: HlsClass, changed: () => void): Source {
  const later = () => queueMicrotask(changed);
  const events = [
    HlsJs.Events.MANIFEST_LOADING,
    HlsJs.Events.SUBTITLE_TRACKS_UPDATED,
    HlsJs.Events.SUBTITLE_TRACK_SWITCH,
    HlsJs.Events.SUBTITLE_TRACKS_CLEARED,
  ] as const;
  for (const event of events) hls.on(event, later);
  return {
    tracks: () =>
      hls.subtitleTracks.map((t, index) => ({
        index,
        language: t.lang ?? "",
        label: t.name || t.lang || String(index + 1),
      })),
    active: () => hls.subtitleTrack,
    select(index) {
      hls.subtitleDisplay = true;
      hls.subtitleTrack = index;
    },
    stop() {
      for (const event of events) hls.off(event, later);
    },
  };
}

/** Safari without MSE: its own HLS puts the SUBTITLES renditions in the <video>'s text tracks. */
function nativeSource(video: HTMLVideoElement, changed: () => void): Source {
  const list = video.textTracks;
  const visual = () => Array.from(list).filter((t) => t.kind === "subtitles" || t.kind === "captions");
  const later = () => queueMicrotask(changed);
  const types = ["addtrack", "removetrack", "change"] as const;
  for (const type of types) list.addEventListener(type, later);
  return {
    tracks: () =>
      visual().map((t, index) => ({
        index,
        language: t.language,
        label: t.label || t.language || String(index + 1),
      })),
    active: () => visual().findIndex((t) => t.mode === "showing"),
    select(index) {
      visual().forEach((t, i) => {
        t.mode = i === index ? "showing" : "disabled";
      });
    },
    stop() {
      for (const type of types) list.removeEventListener(type, later);
    },
  };
}

const NONE = { tracks: [] as CaptionTrack[], active: -1 };

/**
 * The player's captions: the stream's subtitle tracks (hls.js', or the browser's own where it plays
 * HLS itself), the one showing, and the profile's remembered choice (playerPrefs.ts) applied each
 * time a stream's tracks arrive: the language it names is turned on where the video has it.
 * Captions are off otherwise. The profile is the one signed in at mount, like the other prefs.
 */
export function useCaptions(
  videoRef: RefObject<HTMLVideoElement | null>,
  viewerLanguage: string | null | undefined,
): Captions {
  const [state, setState] = useState(NONE);
  const source = useRef<Source | null>(null);
  // The track list the remembered choice was last applied to: the same list again is not re-applied.
  const applied = useRef("");
  const profileId = useRef(session.get()?.profileId);
  const viewer = useRef(viewerLanguage);
  viewer.current = viewerLanguage;

  const sync = useCallback(() => {
    const s = source.current;
    const tracks = s?.tracks() ?? [];
    const key = tracksKey(tracks);
    if (!tracks.length) applied.current = "";
    else if (s && key !== applied.current) {
      applied.current = key;
      const storage = localStore();
      const remembered = storage ? readPrefs(storage, profileId.current).captions : undefined;
      const track = trackFor(orderTracks(tracks, viewer.current), remembered);
      if (track) s.select(track.index);
      else if (remembered === "off" && s.active() >= 0) s.select(-1);
    }
    const active = s?.active() ?? -1;
    setState((prev) =>
      prev.active === active && tracksKey(prev.tracks) === key ? prev : { tracks, active },
    );
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    source.current ??= nativeSource(video, sync);
    const stopPatching = keepTrackSourcesAllowed(video);
    return () => {
      stopPatching();
      source.current?.stop();
      source.current = null;
    };
  }, [videoRef, sync]);

  const observeHls = useCallback(
    (hls: Hls, HlsJs: HlsClass) => {
      source.current?.stop();
      const own = hlsSource(hls, HlsJs, sync);
      source.current = own;
      hls.on(HlsJs.Events.DESTROYING, () => {
        own.stop();
        if (source.current !== own) return;
        const video = videoRef.current;
        source.current = video ? nativeSource(video, sync) : null;
        sync();
      });
      sync();
    },
    [videoRef, sync],
  );

  const choose = useCallback(
    (index: number) => {
      const s = source.current;
      if (!s) return;
      s.select(index);
      const choice = index < 0 ? "off" : s.tracks()[index]?.language;
      const storage = localStore();
      if (choice && storage) rememberCaptions(storage, profileId.current, choice);
      sync();
    },
    [sync],
  );

  const toggle = useCallback(() => {
    const s = source.current;
    if (!s) return false;
    const storage = localStore();
    const last = storage ? readPrefs(storage, profileId.current).captionsLanguage : undefined;
    const next = toggledTrack(orderTracks(s.tracks(), viewer.current), s.active(), last);
    if (next === null) return false;
    choose(next);
    return true;
  }, [choose]);

  const tracks = useMemo(() => orderTracks(state.tracks, viewerLanguage), [state.tracks, viewerLanguage]);
  return { tracks, active: state.active, choose, toggle, observeHls };
}
