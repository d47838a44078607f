import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field, SelectField } from "../../components/form/Field";
import { ListFooter } from "../../components/ListFooter";
import { AuditTable, VerifyChain } from "../../components/moderation/AuditTable";
import { StaffGate } from "../../components/moderation/StaffGate";
import { AUDIT_ACTIONS, type AuditFilters, adminApi, NO_AUDIT_FILTERS } from "../../lib/admin";
import { useDebounced } from "../../lib/useDebounced";
import { usePagedList } from "../../lib/usePagedList";
import "../../studio.css";
import "../../components/moderation/moderation.css";

/** /admin/audit: the audit log, newest first (GET /api/v1/admin/audit), filters and the chain check. */
export function AdminAuditPage() {
  const { t } = useTranslation("admin");
  return (
    <StaffGate
      need="admin"
      title={t("audit.title")}
      next="/admin/audit"
      text={{
        signInTo: t("gate.signInTo"),
        refused: t("gate.notAdmin"),
        refusedHint: t("gate.hint"),
        home: t("gate.home"),
      }}
    >
      <AuditLog />
    </StaffGate>
  );
}

function AuditLog() {
  const { t } = useTranslation("admin");
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  // Typing in the id boxes asks once the typing stops.
  const asked = useDebounced(filters, 300);
  const rows = usePagedList((cursor) => adminApi.audit(asked, cursor), [asked], {
    idOf: (r) => String(r.seq),
  });
  const set =
    <K extends keyof AuditFilters>(key: K) =>
    (value: AuditFilters[K]) =>
      setFilters((f) => ({ ...f, [key]: value }));
  return (
    <section className="studio" aria-labelledby="audit-title">
      <header className="studio-head">
        <div>
          <h1 id="audit-title">{t("audit.title")}</h1>
          <p className="muted">{t("audit.subtitle")}</p>
        </div>
      </header>
      <VerifyChain />
      <fieldset className="mod-filters" data-testid="audit-filters">
        <legend>{t("audit.filters")}</legend>
        <SelectField
          label={t("audit.action")}
          value={filters.action}
          onChange={set("action")}
          none={t("audit.anyAction")}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: a }))}
        />
        <Field
          label={t("audit.actor")}
          value={filters.actorAccountId}
          onChange={set("actorAccountId")}
          data-testid="audit-filter-actor"
        />
        <Field
          label={t("audit.targetType")}
          value={filters.targetType}
          onChange={set("targetType")}
          data-testid="audit-filter-target-type"
        />
        <Field
          label={t("audit.targetId")}
          value={filters.targetId}
          onChange={set("targetId")}
          data-testid="audit-filter-target-id"
        />
        <Field label={t("audit.from")} type="date" value={filters.from} onChange={set("from")} />
        <Field label={t("audit.to")} type="date" value={filters.to} onChange={set("to")} />
      </fieldset>
      {rows.items.length > 0 ? <AuditTable rows={rows.items} /> : null}
      <ListFooter
        list={rows}
        empty={t("audit.empty")}
        emptyHint={t("audit.emptyHint")}
        more={t("audit.more")}
        loadingText={t("audit.loading")}
      />
    </section>
  );
}
