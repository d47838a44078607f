import { Flag, Home } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ListFooter } from "../../components/ListFooter";
import { SignInPrompt } from "../../components/SignInPrompt";
import { formatDuration, useFormat } from "../../lib/format";
import { REPORT_STATE_TONE, type Report, reportsApi } from "../../lib/reports";
import { useSession } from "../../lib/session";
import { usePagedList } from "../../lib/usePagedList";
import { Badge, ButtonLink, SkeletonText, StatusChip } from "../../ui";
import "../../studio.css";
import "../../components/reports/reports.css";

/** /me/reports: what the account reported (GET /api/v1/me/reports), newest first, with state and outcome. */
export function MyReportsPage() {
  const { t } = useTranslation("reports");
  const signedIn = useSession() !== null;
  if (!signedIn)
    return (
      <SignInPrompt className="studio" title={t("mine.title")} next="/me/reports" to={t("mine.signInTo")} />
    );
  return <MyReports />;
}

function MyReports() {
  const { t } = useTranslation("reports");
  const reports = usePagedList((cursor) => reportsApi.mine(cursor), [], { idOf: (r) => r.id });
  const empty = reports.items.length === 0;
  return (
    <section className="studio" aria-labelledby="my-reports-title">
      <header className="studio-head">
        <div>
          <h1 id="my-reports-title">{t("mine.title")}</h1>
          <p className="muted">{t("mine.subtitle")}</p>
        </div>
      </header>
      {empty && reports.loading ? (
        <div role="status" aria-label={t("mine.loading")}>
          <SkeletonText lines={4} />
        </div>
      ) : null}
      {empty ? null : <ReportTable reports={reports.items} />}
      <ListFooter
        list={reports}
        empty={t("mine.empty")}
        emptyHint={t("mine.emptyHint")}
        emptyAction={
          <ButtonLink to="/" icon={<Home />}>
            {t("strikes.home")}
          </ButtonLink>
        }
        more={t("mine.more")}
      />
    </section>
  );
}

function ReportTable({ reports }: { reports: Report[] }) {
  const { t } = useTranslation("reports");
  return (
    <div className="reports-table-wrap">
      <table className="reports-table" data-testid="my-reports">
        <caption className="visually-hidden">{t("mine.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("mine.what")}</th>
            <th scope="col">{t("mine.reason")}</th>
            <th scope="col">{t("mine.status")}</th>
            <th scope="col">{t("mine.when")}</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => (
            <ReportRow key={r.id} report={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Where a reported thing can be opened: a video or a channel (a comment has no page of its own). */
function targetHref(r: Report): string | null {
  if (r.targetType === "video") return `/watch/${encodeURIComponent(r.targetId)}`;
  if (r.targetType === "channel") return `/channel/${encodeURIComponent(r.targetId)}`;
  return null;
}

function ReportRow({ report: r }: { report: Report }) {
  const { t } = useTranslation("reports");
  const f = useFormat();
  const href = targetHref(r);
  const kind = t(`targetType.${r.targetType}`);
  return (
    <tr
      data-testid="my-reports-row"
      data-report-id={r.id}
      data-state={r.state}
      data-outcome={r.outcome ?? ""}
      data-target-type={r.targetType}
    >
      <th scope="row">
        <span className="reports-cell-stack">
          <span className="row">
            <Flag aria-hidden="true" size={14} />
            {href ? <Link to={href}>{kind}</Link> : <span>{kind}</span>}
            {r.atSeconds !== null ? (
              <span className="muted">{t("mine.atTime", { time: formatDuration(r.atSeconds * 1000) })}</span>
            ) : null}
          </span>
          {r.text ? <span className="reports-text">{r.text}</span> : null}
        </span>
      </th>
      <td>{t(`reasons.${r.reason}`)}</td>
      <td>
        <span className="reports-cell-stack">
          <StatusChip
            tone={REPORT_STATE_TONE[r.state] ?? "neutral"}
            data-testid="report-state"
            data-state={r.state}
          >
            {t(`state.${r.state}`)}
          </StatusChip>
          {r.outcome && r.outcome !== "dismiss" ? (
            <Badge tone="neutral" data-testid="report-outcome">
              {t(`outcome.${r.outcome}`)}
            </Badge>
          ) : null}
          {r.resolvedAt ? (
            <small className="muted">{t("mine.decidedOn", { date: f.date(r.resolvedAt) })}</small>
          ) : null}
        </span>
      </td>
      <td>
        <time dateTime={r.createdAt} title={f.dateTime(r.createdAt)}>
          {f.timeAgo(r.createdAt)}
        </time>
      </td>
    </tr>
  );
}
