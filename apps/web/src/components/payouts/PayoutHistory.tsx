import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { type Payout, periodLabel } from "../../lib/payouts";
import type { PagedList } from "../../lib/usePagedList";
import { ErrorState, SkeletonText } from "../../ui";
import { ListFooter } from "../ListFooter";
import { PayoutStateChip } from "./StateChips";

/** The channel's payouts, newest first (GET /me/payouts): period, amount, state, transfer, failure. */
export function PayoutHistory({ list }: { list: PagedList<Payout> }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  const empty = list.items.length === 0;
  return (
    <section
      className="studio-card stack"
      aria-labelledby="payout-history-title"
      data-testid="payout-history"
    >
      <h2 id="payout-history-title">{t("history.title")}</h2>
      {empty && list.loading ? <SkeletonText lines={3} /> : null}
      {empty ? null : (
        <div className="payouts-table-wrap">
          <table className="payouts-table">
            <caption className="visually-hidden">{t("history.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("history.period")}</th>
                <th scope="col" className="payouts-num">
                  {t("history.amount")}
                </th>
                <th scope="col">{t("history.state")}</th>
                <th scope="col">{t("history.transfer")}</th>
                <th scope="col">{t("history.failure")}</th>
                <th scope="col">{t("history.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((p) => (
                <tr key={p.id} data-testid="payout-row" data-payout-id={p.id} data-state={p.state}>
                  <th scope="row">{periodLabel(p.period, f.lang)}</th>
                  <td className="payouts-num">{f.money(p.amountCents, p.currency)}</td>
                  <td>
                    <PayoutStateChip state={p.state} />
                  </td>
                  <td className="payouts-mono">{p.stripeTransferId ?? ""}</td>
                  <td className="payouts-failure">{p.failure ?? ""}</td>
                  <td>
                    <time dateTime={new Date(p.updatedAt).toISOString()}>
                      {f.dateTime(new Date(p.updatedAt).toISOString())}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {empty && list.error ? (
        <ErrorState compact error={list.error} onRetry={list.reload} />
      ) : (
        <ListFooter
          list={list}
          empty={t("history.empty")}
          emptyHint={t("history.emptyHint")}
          more={t("history.more")}
        />
      )}
    </section>
  );
}
