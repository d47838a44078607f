import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { granularityFor, parseRange, RANGE_DAYS, type RangeDays } from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { Button } from "../../ui";

/** The range in the address (`?range=90`), so a reload or a shared link shows the same figures. */
export function useRangeParam(): [RangeDays, (days: RangeDays) => void] {
  const [params, setParams] = useSearchParams();
  const days = parseRange(params.get("range"));
  const set = (next: RangeDays) =>
    setParams(
      (prev) => {
        const out = new URLSearchParams(prev);
        out.set("range", String(next));
        return out;
      },
      { replace: true },
    );
  return [days, set];
}

/**
 * The range buttons (7 / 28 / 90 / 365 days; the pressed one is the range shown), the granularity
 * that goes with it (hours up to a week, days beyond), and how fresh the rollups are.
 */
export function RangePicker({
  days,
  onChange,
  computedAt,
}: {
  days: RangeDays;
  onChange: (days: RangeDays) => void;
  computedAt?: string | null;
}) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  return (
    <div className="analytics-range">
      <fieldset className="analytics-range-buttons" data-testid="analytics-range">
        <legend className="visually-hidden">{t("range.label")}</legend>
        {RANGE_DAYS.map((d) => (
          <Button
            key={d}
            size="sm"
            variant={d === days ? "primary" : "secondary"}
            aria-pressed={d === days}
            data-range={d}
            onClick={() => onChange(d)}
          >
            {t("range.days", { count: d })}
          </Button>
        ))}
      </fieldset>
      <p className="muted analytics-range-note">
        {t(granularityFor(days) === "hour" ? "range.hourly" : "range.daily")}
        {computedAt !== undefined ? (
          <>
            {" · "}
            {computedAt ? (
              <time dateTime={computedAt} title={f.dateTime(computedAt)}>
                {t("range.updated", { time: f.timeAgo(computedAt) })}
              </time>
            ) : (
              t("range.notComputed")
            )}
          </>
        ) : null}
      </p>
    </div>
  );
}
