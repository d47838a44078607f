import { ShieldCheck } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AuditEntry, type AuditVerification, adminApi, prettyJson } from "../../lib/admin";
import { useFormat } from "../../lib/format";
import { useAction } from "../../lib/useAction";
import { Button } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

/** The audit rows: when, who (and their roles then), action, target, reason, request id, before/after. */
export function AuditTable({ rows }: { rows: AuditEntry[] }) {
  const { t } = useTranslation("admin");
  return (
    <div className="mod-table-wrap">
      <table className="mod-table" data-testid="audit-table">
        <caption className="visually-hidden">{t("audit.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("audit.when")}</th>
            <th scope="col">{t("audit.who")}</th>
            <th scope="col">{t("audit.what")}</th>
            <th scope="col">{t("audit.target")}</th>
            <th scope="col">{t("audit.reason")}</th>
            <th scope="col">{t("audit.requestId")}</th>
            <th scope="col">{t("audit.changes")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <AuditRow key={row.seq} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AuditRow({ row }: { row: AuditEntry }) {
  const { t } = useTranslation("admin");
  const f = useFormat();
  const none = <span className="muted">{t("audit.none")}</span>;
  const hasChanges =
    row.before !== null && row.before !== undefined ? true : row.after !== null && row.after !== undefined;
  return (
    <tr data-testid="audit-row" data-seq={row.seq} data-action={row.action} data-target-id={row.target.id}>
      <th scope="row">
        <div className="mod-cell-stack">
          <time dateTime={row.at}>{f.dateTime(row.at)}</time>
          <span className="muted">{t("audit.seq", { seq: row.seq })}</span>
        </div>
      </th>
      <td>
        <div className="mod-cell-stack">
          {row.actor.accountId ? (
            <span className="mod-mono">{row.actor.accountId}</span>
          ) : (
            t("audit.platform")
          )}
          <span className="muted">{row.actor.roles.join(", ")}</span>
        </div>
      </td>
      <td className="mod-mono">{row.action}</td>
      <td>
        <div className="mod-cell-stack">
          <span>{row.target.type}</span>
          <span className="mod-mono">{row.target.id}</span>
        </div>
      </td>
      <td>{row.reason ? <span className="pre-wrap">{row.reason}</span> : none}</td>
      <td className="mod-mono">{row.requestId ?? none}</td>
      <td>
        {hasChanges ? (
          <details className="mod-changes" data-testid="audit-changes">
            <summary>{t("audit.show")}</summary>
            <strong>{t("audit.before")}</strong>
            <pre className="mod-json">{prettyJson(row.before ?? null)}</pre>
            <strong>{t("audit.after")}</strong>
            <pre className="mod-json">{prettyJson(row.after ?? null)}</pre>
          </details>
        ) : (
          none
        )}
      </td>
    </tr>
  );
}

/** "Verify chain": seals pending rows and recomputes the chain (GET /admin/audit/verify), then says what it found. */
export function VerifyChain() {
  const { t } = useTranslation("admin");
  const f = useFormat();
  const [result, setResult] = useState<AuditVerification | null>(null);
  const verify = useAction(async () => setResult(await adminApi.verify()));
  return (
    <div className="stack">
      <div className="mod-verify">
        <Button
          icon={<ShieldCheck />}
          busy={verify.busy}
          onClick={() => void verify.run()}
          data-testid="audit-verify"
        >
          {t("audit.verify")}
        </Button>
        {result ? (
          <div
            role="status"
            className={result.ok ? "mod-ok" : "problem"}
            data-testid="audit-verify-result"
            data-ok={String(result.ok)}
            data-first-broken-seq={result.firstBrokenSeq ?? ""}
          >
            <strong>
              {result.ok
                ? t("audit.verifyOk", { rows: f.number(result.rows) })
                : result.firstBrokenSeq !== null
                  ? t("audit.verifyBroken", { seq: result.firstBrokenSeq })
                  : t("audit.verifyBrokenUnknown")}
            </strong>
            {result.pending > 0 ? (
              <p>{t("audit.verifyPending", { pending: f.number(result.pending) })}</p>
            ) : null}
            {result.headHash ? (
              <p className="mod-mono">{t("audit.head", { hash: result.headHash })}</p>
            ) : null}
          </div>
        ) : null}
      </div>
      <ProblemMessage error={verify.error} />
    </div>
  );
}
