import { useTranslation } from "react-i18next";
import { ListFooter } from "../../components/ListFooter";
import { AdminGate } from "../../components/payouts/AdminGate";
import { RunsTable } from "../../components/payouts/RunsTable";
import { TrialBalance } from "../../components/payouts/TrialBalance";
import { latestRun, payoutsApi } from "../../lib/payouts";
import { usePagedList } from "../../lib/usePagedList";
import { ErrorState, Skeleton, SkeletonText } from "../../ui";
import "../../studio.css";
import "../../components/payouts/payouts.css";

/** /admin/payouts: the payout runs (GET /api/v1/admin/payouts/runs), newest first, and the trial balance. */
export function AdminPayoutsPage() {
  const { t } = useTranslation("payouts");
  return (
    <AdminGate title={t("admin.title")} next="/admin/payouts">
      <Runs />
    </AdminGate>
  );
}

function Runs() {
  const { t } = useTranslation("payouts");
  const runs = usePagedList((cursor) => payoutsApi.runs(cursor), [], { idOf: (r) => r.id });
  const empty = runs.items.length === 0;
  return (
    <section className="studio" aria-labelledby="payout-runs-title">
      <header className="studio-head">
        <div>
          <h1 id="payout-runs-title">{t("admin.title")}</h1>
          <p className="muted">{t("admin.subtitle")}</p>
        </div>
      </header>
      {empty && runs.loading ? (
        <div className="stack" role="status" aria-label={t("admin.loading")}>
          <Skeleton height="7rem" radius="lg" />
          <SkeletonText lines={4} />
        </div>
      ) : null}
      {empty && runs.error ? <ErrorState error={runs.error} onRetry={runs.reload} /> : null}
      {empty ? null : (
        <>
          <TrialBalance run={latestRun(runs.items)} />
          <RunsTable runs={runs.items} />
        </>
      )}
      {empty && runs.error ? null : (
        <ListFooter
          list={runs}
          empty={t("admin.runs.empty")}
          emptyHint={t("admin.runs.emptyHint")}
          more={t("admin.runs.more")}
        />
      )}
    </section>
  );
}
