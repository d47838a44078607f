import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import type { WatchState } from "../../lib/usePlayback";
import { Progress } from "../../ui";
import { Player } from "../Player";
import { StreamsPanel, UpgradePanel } from "../player/LimitPanels";

/**
 * Where the player goes: the player once there is something to play, else a box of the same
 * 16:9 size (no layout shift) that is empty while loading, shows the processing progress while
 * the first segments are made, or says that processing failed. A plan limit takes the player's
 * place: a premium video offers the upgrade, a full set of streams lists the devices using them.
 */
export function PlayerSlot({
  watch,
  title,
  autoPlay = false,
  onEnded,
}: {
  watch: WatchState;
  title?: string;
  autoPlay?: boolean;
  /** The video played to its end (a playlist plays the next one). */
  onEnded?: () => void;
}) {
  const { t } = useTranslation("player");
  const f = useFormat();
  const { playback, startMs, waitingPercent, failed, limit, posterUrl } = watch;
  if (limit)
    return (
      <div className="player">
        <div className="player-frame player-limit-frame">
          {limit.kind === "plan" ? (
            <UpgradePanel requiredPlan={limit.requiredPlan} />
          ) : (
            <StreamsPanel allowed={limit.allowed} active={limit.active} onRetry={watch.reload} />
          )}
        </div>
      </div>
    );
  if (playback && startMs !== null)
    return (
      <Player
        key={playback.videoId}
        playback={playback}
        startMs={startMs}
        title={title}
        chapters={watch.video?.chapters}
        // Unlocked by an upgrade while the page was open: the viewer came for it, it plays.
        autoPlay={autoPlay || watch.unlocked}
        onEnded={onEnded}
      />
    );
  return (
    <div className="player">
      <div className="player-frame player-placeholder">
        {/* The poster the edge painted on landing, kept until the player takes its place. */}
        {posterUrl && !failed && waitingPercent === null && !watch.error ? (
          <img className="player-poster" src={posterUrl} alt="" fetchPriority="high" decoding="async" />
        ) : null}
        {failed ? (
          <div className="player-placeholder-body" role="alert">
            <strong>{t("failed.title")}</strong>
            <span>{failed.reason ?? t("failed.description")}</span>
          </div>
        ) : waitingPercent !== null ? (
          <div className="player-placeholder-body">
            <Progress
              label={t("waiting")}
              value={waitingPercent}
              valueText={f.percent(waitingPercent / 100)}
              showLabel
              tone="accent"
            />
          </div>
        ) : null}
      </div>
      {/* The bar's room, kept so nothing below moves when the player arrives. */}
      <div className="player-bar" aria-hidden="true" />
    </div>
  );
}
