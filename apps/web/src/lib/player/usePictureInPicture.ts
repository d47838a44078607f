import { type RefObject, useCallback, useEffect, useState } from "react";

export interface PictureInPicture {
  /** The browser offers it (Firefox has its own button on the video instead). */
  supported: boolean;
  /** The video has loaded enough to be shown in a window (the browser refuses before). */
  ready: boolean;
  active: boolean;
  toggle: () => void;
}

/** The <video> in a floating window, and back. */
export function usePictureInPicture(videoRef: RefObject<HTMLVideoElement | null>): PictureInPicture {
  const [active, setActive] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const onReady = () => setReady(video.readyState >= HTMLMediaElement.HAVE_METADATA);
    const onEnter = () => setActive(true);
    const onLeave = () => setActive(false);
    onReady();
    video.addEventListener("loadedmetadata", onReady);
    // A new source (hls.js attaching, a new manifest) starts from nothing again.
    video.addEventListener("emptied", onReady);
    video.addEventListener("enterpictureinpicture", onEnter);
    video.addEventListener("leavepictureinpicture", onLeave);
    return () => {
      video.removeEventListener("loadedmetadata", onReady);
      video.removeEventListener("emptied", onReady);
      video.removeEventListener("enterpictureinpicture", onEnter);
      video.removeEventListener("leavepictureinpicture", onLeave);
    };
  }, [videoRef]);
  const toggle = useCallback(() => {
    const video = videoRef.current;
    if (!video) return;
    if (document.pictureInPictureElement === video)
      void document.exitPictureInPicture().catch(() => undefined);
    else void video.requestPictureInPicture().catch(() => undefined);
  }, [videoRef]);
  const supported = typeof document !== "undefined" && document.pictureInPictureEnabled === true;
  return { supported, ready, active, toggle };
}
