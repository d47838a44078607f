import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import type { PayoutRun } from "../../lib/payouts";
import { SkippedCell } from "./SkippedCell";
import { RunStateChip } from "./StateChips";

/** The payout runs, newest first: period, started, finished, state, paid, failed, skipped (with reasons). */
export function RunsTable({ runs }: { runs: PayoutRun[] }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  const when = (ms: number) => f.dateTime(new Date(ms).toISOString());
  return (
    <div className="payouts-table-wrap">
      <table className="payouts-table" data-testid="payout-runs">
        <caption className="visually-hidden">{t("admin.runs.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin.runs.period")}</th>
            <th scope="col">{t("admin.runs.started")}</th>
            <th scope="col">{t("admin.runs.finished")}</th>
            <th scope="col">{t("admin.runs.state")}</th>
            <th scope="col" className="payouts-num">
              {t("admin.runs.paid")}
            </th>
            <th scope="col" className="payouts-num">
              {t("admin.runs.failed")}
            </th>
            <th scope="col">{t("admin.runs.skipped")}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-testid="payout-run" data-run-id={run.id} data-state={run.state}>
              <th scope="row">{run.period}</th>
              <td>{when(run.startedAt)}</td>
              <td>
                {run.finishedAt !== null ? (
                  when(run.finishedAt)
                ) : run.state === "running" ? (
                  <span className="muted">{t("admin.runs.notFinished")}</span>
                ) : (
                  // A run that failed before finishing has no end time to show.
                  <span className="muted">{t("admin.runs.noEnd")}</span>
                )}
              </td>
              <td>
                <div className="payouts-cell-stack">
                  <RunStateChip state={run.state} />
                  {run.error ? (
                    <span className="payouts-failure">{t("admin.runs.error", { error: run.error })}</span>
                  ) : null}
                </div>
              </td>
              <td className="payouts-num">
                {t("admin.runs.paidOf", {
                  paid: f.number(run.paidCount),
                  amount: f.money(run.paidCents, "usd"),
                })}
              </td>
              <td className="payouts-num">{f.number(run.failedCount)}</td>
              <td>
                <SkippedCell skipped={run.skipped} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
