import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { countryName, sourceParts } from "../../lib/analytics";
import { useFormat } from "../../lib/format";

/** A breakdown's dimension: how its values are named on screen. */
export type Dimension = "source" | "country" | "device" | "rendition" | "player";

const DEVICES = new Set(["desktop", "mobile", "tablet", "tv", "bot", "other"]);
const FEED_ROWS = new Set([
  "continue_watching",
  "new_from_subscriptions",
  "because_you_watched",
  "trending_in_category",
  "trending",
  "new",
  "popular",
]);

/**
 * Names a breakdown value in the UI's language: traffic sources and device classes translated
 * (`feed:trending` → "Home feed: Trending"), countries by Intl ("DE" → "Germany", `XX` → "Unknown"),
 * renditions and player versions as they are. A value the app does not know is shown as it came.
 */
export function useValueLabel(): (dimension: Dimension, value: string) => string {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  return useCallback(
    (dimension: Dimension, value: string) => {
      switch (dimension) {
        case "source": {
          const { source, row } = sourceParts(value);
          if (!source) return value;
          if (source === "feed" && row)
            return t("source.feedRow", {
              row: FEED_ROWS.has(row) ? t(`feedRow.${row as "trending"}`) : row,
            });
          return t(`source.${source}`);
        }
        case "country":
          return countryName(value, f.lang) ?? t("unknownCountry");
        case "device":
          return DEVICES.has(value) ? t(`device.${value as "desktop"}`) : value;
        case "player":
          return value === "unknown" ? t("unknownPlayer") : value;
        default:
          return value;
      }
    },
    [t, f.lang],
  );
}
