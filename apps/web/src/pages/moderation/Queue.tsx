import { EyeOff, Gavel } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { SelectField } from "../../components/form/Field";
import { ListFooter } from "../../components/ListFooter";
import { StaffGate } from "../../components/moderation/StaffGate";
import { useFormat } from "../../lib/format";
import {
  AGE_CHOICES,
  CASE_STATE_TONE,
  CASE_STATES,
  claimConflict,
  claimStatus,
  type ModerationCase,
  moderationApi,
  NO_FILTERS,
  type QueueFilters,
  REPORT_REASONS,
  REPORT_TARGET_TYPES,
} from "../../lib/moderation";
import { useSession } from "../../lib/session";
import { useAction } from "../../lib/useAction";
import { usePagedList } from "../../lib/usePagedList";
import { Badge, Button, ButtonLink, StatusChip, toast } from "../../ui";
import "../../studio.css";
import "../../components/moderation/moderation.css";

/** /moderation: the cases still to decide, oldest first (GET /api/v1/moderation/cases), with filters. */
export function ModerationQueuePage() {
  const { t } = useTranslation("moderation");
  return (
    <StaffGate
      need="moderate"
      title={t("queue.title")}
      next="/moderation"
      text={{
        signInTo: t("gate.signInTo"),
        refused: t("gate.notModerator"),
        refusedHint: t("gate.hint"),
        home: t("gate.home"),
      }}
    >
      <Queue />
    </StaffGate>
  );
}

function Queue() {
  const { t } = useTranslation("moderation");
  const [filters, setFilters] = useState<QueueFilters>(NO_FILTERS);
  const cases = usePagedList((cursor) => moderationApi.cases(filters, cursor), [filters], {
    idOf: (c) => c.id,
  });
  const set =
    <K extends keyof QueueFilters>(key: K) =>
    (value: QueueFilters[K]) =>
      setFilters((f) => ({ ...f, [key]: value }));
  return (
    <section className="studio" aria-labelledby="queue-title">
      <header className="studio-head">
        <div>
          <h1 id="queue-title">{t("queue.title")}</h1>
          <p className="muted">{t("queue.subtitle")}</p>
        </div>
        <ButtonLink to="/moderation/appeals" icon={<Gavel />}>
          {t("queue.appealsLink")}
        </ButtonLink>
      </header>
      <fieldset className="mod-filters" data-testid="queue-filters">
        <legend>{t("queue.filters")}</legend>
        <SelectField
          label={t("queue.reason")}
          value={filters.reason}
          onChange={set("reason")}
          none={t("queue.any")}
          options={REPORT_REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))}
        />
        <SelectField
          label={t("queue.targetType")}
          value={filters.targetType}
          onChange={set("targetType")}
          none={t("queue.any")}
          options={REPORT_TARGET_TYPES.map((r) => ({ value: r, label: t(`targetType.${r}`) }))}
        />
        <SelectField
          label={t("queue.state")}
          value={filters.state}
          onChange={set("state")}
          none={t("queue.stillToDecide")}
          options={CASE_STATES.map((s) => ({ value: s, label: t(`caseState.${s}`) }))}
        />
        <SelectField
          label={t("queue.age")}
          value={filters.olderThanHours}
          onChange={set("olderThanHours")}
          none={t("queue.any")}
          options={AGE_CHOICES.map((h) => ({ value: String(h), label: t("queue.olderThan", { count: h }) }))}
        />
      </fieldset>
      {cases.items.length > 0 ? <CaseTable cases={cases.items} /> : null}
      <ListFooter
        list={cases}
        empty={t("queue.empty")}
        emptyHint={t("queue.emptyHint")}
        more={t("queue.more")}
        loadingText={t("queue.loading")}
      />
    </section>
  );
}

function CaseTable({ cases }: { cases: ModerationCase[] }) {
  const { t } = useTranslation("moderation");
  return (
    <div className="mod-table-wrap">
      <table className="mod-table" data-testid="queue">
        <caption className="visually-hidden">{t("queue.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("queue.target")}</th>
            <th scope="col" className="mod-num">
              {t("queue.reports")}
            </th>
            <th scope="col" className="mod-num">
              {t("queue.weight")}
            </th>
            <th scope="col">{t("queue.firstReported")}</th>
            <th scope="col">{t("queue.status")}</th>
            <th scope="col">{t("queue.claimedBy")}</th>
            <th scope="col">{t("queue.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <CaseRow key={c.id} item={c} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CaseRow({ item }: { item: ModerationCase }) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  const me = useSession()?.accountId ?? null;
  const navigate = useNavigate();
  const held = claimStatus(item, me);
  const claim = useAction(async () => {
    try {
      await moderationApi.claim(item.id);
    } catch (err) {
      const conflict = claimConflict(err);
      if (!conflict) throw err;
      toast({ title: t("claim.conflictTitle"), description: conflict.detail, tone: "danger" });
      return;
    }
    navigate(`/moderation/cases/${encodeURIComponent(item.id)}`);
  });
  const href = `/moderation/cases/${encodeURIComponent(item.id)}`;
  return (
    <tr data-testid="queue-row" data-case-id={item.id} data-state={item.state} data-target-id={item.targetId}>
      <th scope="row">
        <div className="mod-cell-stack">
          <Badge tone="neutral">{t(`targetType.${item.targetType}`)}</Badge>
          <span className="mod-mono">{item.targetId}</span>
        </div>
      </th>
      <td className="mod-num">{f.number(item.openReports)}</td>
      <td className="mod-num">{f.number(item.weight)}</td>
      <td>{f.timeAgo(new Date(item.firstReportedAt).toISOString())}</td>
      <td>
        <div className="mod-cell-stack">
          <StatusChip tone={CASE_STATE_TONE[item.state]}>{t(`caseState.${item.state}`)}</StatusChip>
          {item.hiddenAt !== null ? (
            <Badge tone="warning" icon={<EyeOff />} title={t("queue.hiddenHint")} data-testid="queue-hidden">
              {t("queue.hidden")}
            </Badge>
          ) : null}
        </div>
      </td>
      <td>
        {held === "free" ? (
          <span className="muted">{t("queue.nobody")}</span>
        ) : held === "mine" ? (
          t("queue.you")
        ) : (
          <span className="mod-mono">{item.claimedBy}</span>
        )}
      </td>
      <td>
        <div className="mod-row-actions">
          {item.state !== "decided" && held !== "mine" ? (
            <Button
              size="sm"
              variant="primary"
              busy={claim.busy}
              onClick={() => void claim.run()}
              data-testid="queue-claim"
            >
              {t("claim.claim")}
            </Button>
          ) : null}
          <ButtonLink size="sm" to={href}>
            {t("queue.open")}
          </ButtonLink>
        </div>
        {claim.error ? (
          <p role="alert" className="mod-error">
            {claim.error instanceof Error ? claim.error.message : String(claim.error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
