import { useTranslation } from "react-i18next";
import { Skeleton, SkeletonText } from "../../ui";

/** The title, channel row and description on their way (the player box is drawn by PlayerSlot). */
export function WatchDetailsSkeleton() {
  const { t } = useTranslation("watch");
  return (
    <div className="watch-details" role="status" aria-label={t("loading")}>
      <Skeleton height="1.75rem" width="70%" />
      <div className="watch-bar">
        <div className="watch-channel">
          <span className="watch-channel-link">
            <Skeleton width="2.5rem" height="2.5rem" radius="full" />
            <span className="watch-channel-text">
              <Skeleton width="8rem" />
              <Skeleton width="5rem" height="0.75em" />
            </span>
          </span>
          <Skeleton width="7.5rem" height="2.5rem" radius="full" />
        </div>
        <Skeleton width="16rem" height="2.5rem" radius="full" />
      </div>
      <div className="watch-description">
        <SkeletonText lines={3} />
      </div>
    </div>
  );
}
