import { ChartColumn, Gauge } from "lucide-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ButtonLink, MenuLinkItem } from "../../ui";

/*
 * The ways into the analytics pages. Their strings are in the `analytics` namespace, loaded under
 * their own Suspense: the studio pages and the account menu never wait for it.
 */

/** The studio's "Analytics" button (/studio/analytics). */
export function ChannelAnalyticsLink() {
  return (
    <Suspense fallback={null}>
      <ChannelLink />
    </Suspense>
  );
}

function ChannelLink() {
  const { t } = useTranslation("analytics");
  return (
    <ButtonLink icon={<ChartColumn />} to="/studio/analytics" data-testid="nav-analytics">
      {t("nav.channel")}
    </ButtonLink>
  );
}

/** A studio video's "Analytics" button (/studio/videos/:id/analytics). */
export function VideoAnalyticsLink({ videoId, size = "sm" }: { videoId: string; size?: "sm" | "md" }) {
  return (
    <Suspense fallback={null}>
      <VideoLink videoId={videoId} size={size} />
    </Suspense>
  );
}

function VideoLink({ videoId, size }: { videoId: string; size: "sm" | "md" }) {
  const { t } = useTranslation("analytics");
  return (
    <ButtonLink
      icon={<ChartColumn />}
      size={size}
      to={`/studio/videos/${videoId}/analytics`}
      data-testid="video-analytics-link"
    >
      {t("nav.video")}
    </ButtonLink>
  );
}

/** The admins' account-menu entry to the quality dashboard (/admin/quality). */
export function QualityMenuLink() {
  return (
    <Suspense fallback={null}>
      <QualityLink />
    </Suspense>
  );
}

function QualityLink() {
  const { t } = useTranslation("analytics");
  return (
    <MenuLinkItem to="/admin/quality" icon={<Gauge aria-hidden="true" />}>
      {t("nav.quality")}
    </MenuLinkItem>
  );
}

/** The studio list's small "Analytics" link beside "Watch" (named with the video's title for screen readers). */
export function VideoAnalyticsTextLink({
  videoId,
  title,
  className,
}: {
  videoId: string;
  title: string;
  className?: string;
}) {
  return (
    <Suspense fallback={null}>
      <VideoTextLink videoId={videoId} title={title} className={className} />
    </Suspense>
  );
}

function VideoTextLink({
  videoId,
  title,
  className,
}: {
  videoId: string;
  title: string;
  className?: string;
}) {
  const { t } = useTranslation("analytics");
  return (
    <Link
      className={className}
      to={`/studio/videos/${videoId}/analytics`}
      aria-label={t("nav.videoLink", { title })}
      data-testid="video-analytics-link"
    >
      {t("nav.video")}
    </Link>
  );
}
