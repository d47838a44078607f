import { ExternalLink } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../../lib/format";
import type { CaseDetail, CaseReport, Strike } from "../../lib/moderation";
import { targetHref } from "../../lib/moderation";
import { Badge, StatusChip } from "../../ui";

const iso = (ms: number) => new Date(ms).toISOString();

/** What was reported: its kind, its title or text, its state and rating, and the way to it on the site. */
export function TargetPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  const { target } = detail;
  const c = detail.case;
  const href = target.exists ? targetHref(target) : null;
  return (
    <section className="studio-card" aria-labelledby="case-target" data-testid="case-target">
      <h2 id="case-target">{t("case.target")}</h2>
      <div className="mod-line">
        <Badge tone="neutral">{t(`targetType.${target.type}`)}</Badge>
        {c.hiddenAt !== null ? (
          <Badge tone="warning">{t("case.hiddenSince", { time: f.dateTime(iso(c.hiddenAt)) })}</Badge>
        ) : null}
      </div>
      {target.exists ? (
        target.title ? (
          <blockquote className="mod-quote" data-testid="case-target-title">
            {target.title}
          </blockquote>
        ) : null
      ) : (
        <p className="muted">{t("case.gone")}</p>
      )}
      <dl className="mod-facts">
        <dt>{t("case.state")}</dt>
        <dd>{target.state ?? "—"}</dd>
        {target.maturity ? (
          <>
            <dt>{t("case.maturity")}</dt>
            <dd>{target.maturity}</dd>
          </>
        ) : null}
        {target.demonetised !== null ? (
          <>
            <dt>{t("case.demonetised")}</dt>
            <dd>{target.demonetised ? t("case.yes") : t("case.no")}</dd>
          </>
        ) : null}
        <dt>{t("case.owner")}</dt>
        <dd className="mod-mono">{c.ownerAccountId}</dd>
      </dl>
      {href ? (
        <p>
          <Link to={href} target="_blank" rel="noopener">
            {t("case.open")} <ExternalLink aria-hidden="true" size={14} />
          </Link>
        </p>
      ) : null}
    </section>
  );
}

/** "1:05" for a point in a video. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Every report of the case: reason, text, when, who, its weight and state. */
export function ReportList({ reports, weight }: { reports: CaseReport[]; weight: number }) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  return (
    <section className="studio-card" aria-labelledby="case-reports">
      <h2 id="case-reports">
        {t("case.reports", { count: reports.length })} · {t("case.weight", { weight: f.number(weight) })}
      </h2>
      <ul className="mod-list">
        {reports.map((r) => (
          <li key={r.id} data-testid="case-report" data-reason={r.reason} data-state={r.state}>
            <div className="mod-line">
              <strong>{t(`reason.${r.reason}`)}</strong>
              <StatusChip
                tone={r.state === "open" ? "warning" : r.state === "upheld" ? "success" : "neutral"}
              >
                {t(`reportState.${r.state}`)}
              </StatusChip>
              {r.weight > 1 ? (
                <Badge tone="info">{t("case.reportWeight", { weight: r.weight })}</Badge>
              ) : null}
            </div>
            {r.text ? <p>{r.text}</p> : <p className="muted">{t("case.noText")}</p>}
            <div className="mod-line muted">
              <time dateTime={iso(r.createdAt)}>{f.dateTime(iso(r.createdAt))}</time>
              <span>·</span>
              <span className="mod-mono">{t("case.reporter", { id: r.reporterAccountId })}</span>
              {r.atSeconds !== null ? (
                <>
                  <span>·</span>
                  <span>{t("case.at", { time: clock(r.atSeconds) })}</span>
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The owner's active strikes and warnings (what a strike decision would add to). */
export function StrikeList({ strikes }: { strikes: Strike[] }) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  return (
    <section className="studio-card" aria-labelledby="case-strikes" data-testid="case-strikes">
      <h2 id="case-strikes">{t("case.strikes")}</h2>
      {strikes.length === 0 ? <p className="muted">{t("case.noStrikes")}</p> : null}
      <ul className="mod-list">
        {strikes.map((s) => (
          <li key={s.id} data-testid="case-strike" data-kind={s.kind}>
            <div className="mod-line">
              <StatusChip tone={s.kind === "warning" ? "warning" : "danger"}>
                {s.kind === "warning"
                  ? t("case.strikeKind.warning")
                  : t("case.strikeKind.strike", { ordinal: s.ordinal })}
              </StatusChip>
            </div>
            <p className="muted">
              {t("case.strikeLine", {
                reason: t(`reason.${s.reason}`),
                issued: f.date(iso(s.issuedAt)),
                expires: f.date(iso(s.expiresAt)),
              })}
            </p>
            {s.freezeUntil !== null && s.freezeUntil > Date.now() ? (
              <p>{t("case.frozenUntil", { time: f.dateTime(iso(s.freezeUntil)) })}</p>
            ) : null}
            {s.note ? <p>{s.note}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
