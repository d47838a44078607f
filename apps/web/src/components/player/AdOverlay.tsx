import { ExternalLink } from "lucide-react";
import { type RefObject, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type AdBreak,
  type AdSeekState,
  adRemaining,
  clock,
  inAd,
  resumeTarget,
  seekTarget,
} from "../../lib/player/adBreak";

/**
 * The stitched pre-roll's rules on the <video>: the ad is watched through (a seek past the point
 * played snaps back; once it is over, a seek back into it lands on the content), and a resumed
 * video plays its ad first and then jumps to where the profile stopped (`resumeMs`, content time).
 * Returns whether the ad has started and whether it is over, for the overlay and the scrubber.
 */
export function useAdGuard(
  videoRef: RefObject<HTMLVideoElement | null>,
  ad: AdBreak | null,
  resumeMs: number,
): { started: boolean; done: boolean } {
  const adRef = useRef(ad);
  adRef.current = ad;
  const [started, setStarted] = useState(false);
  const [done, setDone] = useState(false);
  const hasAd = ad !== null;
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !hasAd) return;
    const state: AdSeekState = { done: false, furthest: 0 };
    let resume: number | null = resumeMs;
    const finish = () => {
      const current = adRef.current;
      if (state.done || !current) return;
      state.done = true;
      setDone(true);
      const target = resume === null ? null : resumeTarget(resume, current);
      resume = null;
      if (target !== null) video.currentTime = target;
    };
    const onTime = () => {
      const current = adRef.current;
      if (!current || state.done || video.seeking) return;
      const t = video.currentTime;
      // Steady play moves the furthest point; a jump that got past the guard does not.
      if (t > state.furthest && t - state.furthest < 2) state.furthest = t;
      if (t >= current.end - 0.05) finish();
    };
    const onSeeking = () => {
      const target = seekTarget(video.currentTime, adRef.current, state);
      if (target !== null && Math.abs(target - video.currentTime) > 0.01) video.currentTime = target;
    };
    const onPlaying = () => setStarted(true);
    video.addEventListener("timeupdate", onTime);
    video.addEventListener("seeking", onSeeking);
    video.addEventListener("playing", onPlaying);
    return () => {
      video.removeEventListener("timeupdate", onTime);
      video.removeEventListener("seeking", onSeeking);
      video.removeEventListener("playing", onPlaying);
    };
  }, [videoRef, hasAd, resumeMs]);
  return { started, done };
}

/**
 * "Ad · 0:12" counting down while the stitched ad plays, and "Learn more" (the edge's signed
 * click URL, counted once and redirected to the advertiser's registered page) in a new tab.
 * Rendered (and its strings loaded) as soon as an ad is known; shown once the ad plays.
 */
export function AdOverlay({
  ad,
  time,
  visible,
  onLearnMore,
}: {
  ad: AdBreak;
  time: number;
  visible: boolean;
  onLearnMore?: () => void;
}) {
  const { t } = useTranslation("ads");
  if (!visible || !inAd(time, ad)) return null;
  return (
    <div className="ad-overlay" data-testid="ad-overlay" data-ad-id={ad.id}>
      <span className="ad-overlay-label">{t("overlay.label", { time: clock(adRemaining(time, ad)) })}</span>
      {ad.clickUrl ? (
        <a
          className="ad-overlay-link"
          href={ad.clickUrl}
          target="_blank"
          rel="noopener"
          onClick={onLearnMore}
          data-testid="ad-learn-more"
        >
          {t("overlay.learnMore")}
          <ExternalLink aria-hidden="true" />
        </a>
      ) : null}
    </div>
  );
}
