import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { type SkippedChannel, skipSummary } from "../../lib/payouts";

/** At most this many skipped channels are listed in the page (a run may skip thousands). */
const LISTED = 100;

/**
 * A run's skipped channels: how many per reason and the balance they carry over, then the channels
 * themselves behind a disclosure.
 */
export function SkippedCell({ skipped }: { skipped: SkippedChannel[] }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  if (skipped.length === 0) return <span className="muted">{t("admin.skipped.none")}</span>;
  const listed = skipped.slice(0, LISTED);
  return (
    <div className="stack">
      <ul className="payouts-skipped">
        {skipSummary(skipped).map((s) => (
          <li key={s.reason} data-reason={s.reason}>
            {t("admin.skipped.reason", {
              reason: t(`admin.reasons.${s.reason}`),
              number: f.number(s.count),
              amount: f.money(s.balanceCents, "usd"),
            })}
          </li>
        ))}
      </ul>
      <details className="payouts-skipped-details">
        <summary>{t("admin.skipped.details", { count: skipped.length })}</summary>
        <table className="payouts-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.skipped.channel")}</th>
              <th scope="col">{t("admin.skipped.reasonColumn")}</th>
              <th scope="col" className="payouts-num">
                {t("admin.skipped.balance")}
              </th>
            </tr>
          </thead>
          <tbody>
            {listed.map((s) => (
              <tr key={s.channelId}>
                <td className="payouts-mono">{s.channelId}</td>
                <td>{t(`admin.reasons.${s.reason}`)}</td>
                <td className="payouts-num">{f.money(s.balanceCents, "usd")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {skipped.length > LISTED ? (
          <p className="muted">
            {t("admin.skipped.truncated", { shown: f.number(LISTED), total: f.number(skipped.length) })}
          </p>
        ) : null}
      </details>
    </div>
  );
}
