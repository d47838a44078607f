import { RotateCcw } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { adminApi, type ConfigVersion, type ConfigView, changedPaths } from "../../lib/admin";
import { useFormat } from "../../lib/format";
import type { PagedList } from "../../lib/usePagedList";
import { Button, Dialog, DialogClose, FormField, TextArea } from "../../ui";
import { ListFooter } from "../ListFooter";
import { ProblemMessage } from "../ProblemMessage";

/**
 * Every saved version, newest first: when, by whom, why, which fields it changed (against the
 * version before it on the list), and "Roll back" (a new version with that one's value, with a reason).
 */
export function ConfigVersions({
  list,
  current,
  onRolledBack,
}: {
  list: PagedList<ConfigVersion>;
  current: number;
  onRolledBack: (next: ConfigView) => void;
}) {
  const { t } = useTranslation("admin");
  const f = useFormat();
  const [rollingBack, setRollingBack] = useState<number | null>(null);
  const versions = list.items;
  return (
    <section className="studio-card stack" aria-labelledby="config-history">
      <h2 id="config-history">{t("config.history")}</h2>
      {versions.length > 0 ? (
        <div className="mod-table-wrap">
          <table className="mod-table" data-testid="config-versions">
            <caption className="visually-hidden">{t("config.historyCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("config.versionCol")}</th>
                <th scope="col">{t("config.when")}</th>
                <th scope="col">{t("config.changedBy")}</th>
                <th scope="col">{t("config.why")}</th>
                <th scope="col">{t("config.changed")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("config.rollback")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v, i) => {
                const older = versions[i + 1] ?? null;
                const changed = changedPaths(older?.value ?? null, v.value);
                return (
                  <tr key={v.version} data-testid="config-version" data-version={v.version}>
                    <th scope="row" className="mod-num">
                      {v.version}
                    </th>
                    <td>{f.dateTime(v.createdAt)}</td>
                    <td className="mod-mono">{v.changedBy}</td>
                    <td className="pre-wrap">{v.reason ?? ""}</td>
                    <td className="mod-mono">
                      {older ? (changed.length ? changed.join(", ") : t("config.nothingChanged")) : ""}
                    </td>
                    <td>
                      {v.version === current ? (
                        <span className="muted">{t("config.current")}</span>
                      ) : (
                        <Button
                          size="sm"
                          icon={<RotateCcw />}
                          onClick={() => setRollingBack(v.version)}
                          data-testid="config-rollback"
                        >
                          {t("config.rollback")}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ListFooter
        list={list}
        empty={t("config.historyEmpty")}
        emptyHint={t("config.historyEmptyHint")}
        more={t("config.more")}
      />
      {rollingBack !== null ? (
        <RollbackDialog
          version={rollingBack}
          onClose={() => setRollingBack(null)}
          onDone={(next) => {
            setRollingBack(null);
            onRolledBack(next);
          }}
        />
      ) : null}
    </section>
  );
}

function RollbackDialog({
  version,
  onClose,
  onDone,
}: {
  version: number;
  onClose: () => void;
  onDone: (next: ConfigView) => void;
}) {
  const { t } = useTranslation(["admin", "common"]);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      onDone(await adminApi.rollback(version, reason));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      size="sm"
      title={t("config.rollbackTitle", { version })}
      description={t("config.rollbackDescription")}
      footer={
        <>
          <DialogClose asChild>
            <Button variant="ghost">{t("common:actions.cancel")}</Button>
          </DialogClose>
          <Button
            variant="danger"
            busy={busy}
            disabled={!reason.trim()}
            onClick={() => void confirm()}
            data-testid="config-rollback-confirm"
          >
            {t("config.rollbackConfirm")}
          </Button>
        </>
      }
    >
      <FormField label={t("config.rollbackReason")} hint={t("config.reasonHint")}>
        {(control) => (
          <TextArea
            {...control}
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="config-rollback-reason"
          />
        )}
      </FormField>
      <ProblemMessage error={error} />
    </Dialog>
  );
}
