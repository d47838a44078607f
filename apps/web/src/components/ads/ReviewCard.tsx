import { Check, X } from "lucide-react";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AdReview, adsApi, type Campaign } from "../../lib/ads";
import { useFormat } from "../../lib/format";
import { useHls } from "../../lib/player/useHls";
import { useAction } from "../../lib/useAction";
import { Button } from "../../ui";
import { TextAreaField } from "../form/Field";
import { ProblemMessage } from "../ProblemMessage";
import { Checkbox } from "./Choices";

/** The creative as the viewer will see it: its HLS preview through the site's own pipeline (hls.js). */
function CreativePreview({
  manifestUrl,
  posterUrl,
  name,
}: {
  manifestUrl: string;
  posterUrl: string | null;
  name: string;
}) {
  const { t } = useTranslation("ads");
  const video = useRef<HTMLVideoElement>(null);
  const hls = useHls(video, manifestUrl, { start: 0, autoPlay: false, posterUrl: posterUrl ?? undefined });
  return (
    <div className="ads-preview player">
      {/* biome-ignore lint/a11y/useMediaCaption: ad creatives have no caption tracks (the API has none to offer) */}
      <video
        ref={video}
        controls
        playsInline
        poster={posterUrl ?? undefined}
        aria-label={t("review.preview", { name })}
        data-testid="review-preview"
      />
      {hls.error ? (
        <p role="alert" className="problem">
          {t("review.previewFailed")}
        </p>
      ) : null}
    </div>
  );
}

/**
 * One campaign waiting for review: its creative (playable), click-through, targeting, advertiser,
 * and the decision: approve (kids-safe or not) or reject with a note the advertiser will read.
 */
export function ReviewCard({ review, onDecided }: { review: AdReview; onDecided: (c: Campaign) => void }) {
  const { t } = useTranslation(["ads", "common"]);
  const f = useFormat();
  const [kidsSafe, setKidsSafe] = useState(review.kidsSafe);
  const [note, setNote] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const decide = useAction(async (decision: "approve" | "reject") => {
    // The version on screen: if the advertiser changed the campaign since, the API answers 409.
    const updatedAt = review.updatedAt;
    const body =
      decision === "approve"
        ? { decision, updatedAt, kidsSafe }
        : { decision, updatedAt, ...(note.trim() ? { note: note.trim() } : {}) };
    onDecided(await adsApi.review(review.id, body));
  });
  const tg = review.targeting;
  const any = t("review.any");
  const list = (items: string[]) => (items.length ? items.join(", ") : any);
  return (
    <article
      className="ads-card ads-review"
      aria-labelledby={`review-${review.id}`}
      data-testid="ad-review"
      data-campaign-id={review.id}
    >
      <div className="ads-review-media">
        {review.preview ? (
          <CreativePreview
            manifestUrl={review.preview.manifestUrl}
            posterUrl={review.preview.posterUrl}
            name={review.name}
          />
        ) : (
          <p className="muted">{t("review.noPreview")}</p>
        )}
        {review.creativeTitle !== null ? (
          // Viewers see this title with the ad: it is reviewed with the video.
          <p data-testid="review-creative-title">{t("review.preview", { name: review.creativeTitle })}</p>
        ) : null}
      </div>
      <div className="stack">
        <h2 id={`review-${review.id}`}>{review.name}</h2>
        <dl className="ads-facts">
          <dt>{t("review.advertiser")}</dt>
          <dd>{review.advertiserAccountId}</dd>
          <dt>{t("review.clickThrough")}</dt>
          <dd>
            <a
              href={review.clickThroughUrl}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="review-click-through"
            >
              {review.clickThroughUrl}
            </a>
          </dd>
          <dt>{t("review.submitted")}</dt>
          <dd>{f.dateTime(review.updatedAt)}</dd>
          <dt>{t("form.categories")}</dt>
          <dd>{list(tg.categories)}</dd>
          <dt>{t("form.countries")}</dt>
          <dd>{list(tg.countries)}</dd>
          <dt>{t("form.languages")}</dt>
          <dd>{list(tg.languages)}</dd>
          <dt>{t("form.devices")}</dt>
          <dd>{tg.devices.length ? tg.devices.map((d) => t(`device.${d}`)).join(", ") : any}</dd>
          <dt>{t("form.maxMaturity")}</dt>
          <dd>{t(`common:maturity.${tg.maxMaturity}`)}</dd>
          <dt>{t("form.excludedChannels")}</dt>
          <dd>{list(tg.excludedChannels)}</dd>
          <dt>{t("review.requestedKidsSafe")}</dt>
          <dd>{review.kidsSafe ? t("review.yes") : t("review.no")}</dd>
        </dl>
        <Checkbox
          label={t("review.kidsSafe")}
          hint={t("review.kidsSafeHint")}
          checked={kidsSafe}
          onChange={setKidsSafe}
        />
        {rejecting ? (
          <TextAreaField
            label={t("review.note")}
            hint={t("review.noteHint")}
            value={note}
            onChange={setNote}
            maxLength={500}
            rows={3}
          />
        ) : null}
        <ProblemMessage error={decide.error} />
        <div className="row">
          <Button
            variant="primary"
            icon={<Check />}
            busy={decide.busy}
            onClick={() => void decide.run("approve")}
          >
            {t("review.approve")}
          </Button>
          {rejecting ? (
            <>
              <Button
                variant="danger"
                icon={<X />}
                busy={decide.busy}
                onClick={() => void decide.run("reject")}
              >
                {t("review.confirmReject")}
              </Button>
              <Button variant="ghost" onClick={() => setRejecting(false)}>
                {t("common:actions.cancel")}
              </Button>
            </>
          ) : (
            <Button variant="danger" icon={<X />} onClick={() => setRejecting(true)}>
              {t("review.reject")}
            </Button>
          )}
        </div>
      </div>
    </article>
  );
}
