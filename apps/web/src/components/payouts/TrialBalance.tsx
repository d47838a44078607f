import { Scale } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { balanceRows, type PayoutRun } from "../../lib/payouts";
import { EmptyState } from "../../ui";

const KNOWN_KINDS = ["platform_revenue", "channel_payable", "payouts_in_transit", "stripe_clearing"] as const;
type KnownKind = (typeof KNOWN_KINDS)[number];
const isKnown = (kind: string): kind is KnownKind => (KNOWN_KINDS as readonly string[]).includes(kind);

/**
 * The ledger's trial balance after the latest run, where an admin cannot miss it: green 0.00 when
 * every journal line sums to zero, red with the difference otherwise; and the balance of each
 * account kind (debits positive, credits negative, as the ledger stores them).
 */
export function TrialBalance({ run }: { run: PayoutRun | null }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  if (!run)
    return (
      <EmptyState
        compact
        icon={<Scale />}
        title={t("admin.balance.title")}
        description={t("admin.balance.none")}
      />
    );
  const balanced = run.trialBalanceCents === 0;
  const rows = balanceRows(run.balances);
  return (
    <section className="stack" aria-labelledby="trial-balance-title" data-testid="trial-balance">
      <div className="payouts-balance" data-balanced={balanced} role={balanced ? undefined : "alert"}>
        <p className="payouts-balance-figure" data-testid="trial-balance-figure">
          {f.money(run.trialBalanceCents, "usd")}
        </p>
        <div className="payouts-balance-text">
          <h2 id="trial-balance-title">{t("admin.balance.title")}</h2>
          <p>{balanced ? t("admin.balance.zero") : t("admin.balance.off")}</p>
          <p className="muted">
            {t("admin.balance.of", {
              period: run.period,
              started: f.dateTime(new Date(run.startedAt).toISOString()),
            })}
          </p>
        </div>
      </div>
      {rows.length ? (
        <div className="payouts-table-wrap">
          <table className="payouts-table" data-testid="balances-by-kind">
            <caption>{t("admin.balance.kinds")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.balance.kind")}</th>
                <th scope="col" className="payouts-num">
                  {t("admin.balance.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.kind} data-kind={r.kind}>
                  <th scope="row">
                    {isKnown(r.kind) ? (
                      t(`admin.kinds.${r.kind}`)
                    ) : (
                      <code className="payouts-mono">{r.kind}</code>
                    )}
                  </th>
                  <td className="payouts-num">{f.money(r.cents, "usd")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{t("admin.balance.sign")}</p>
        </div>
      ) : null}
    </section>
  );
}
