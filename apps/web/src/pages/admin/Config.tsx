import { useTranslation } from "react-i18next";
import { ConfigEditor } from "../../components/moderation/ConfigForm";
import { ConfigVersions } from "../../components/moderation/ConfigVersions";
import { StaffGate } from "../../components/moderation/StaffGate";
import { adminApi, type ConfigView } from "../../lib/admin";
import { useFormat } from "../../lib/format";
import { useLoad } from "../../lib/useLoad";
import { usePagedList } from "../../lib/usePagedList";
import { ErrorState, SkeletonText, toast } from "../../ui";
import "../../studio.css";
import "../../components/moderation/moderation.css";

/** /admin/config: the dynamic settings (GET/PUT /api/v1/admin/config), their versions and rollback. */
export function AdminConfigPage() {
  const { t } = useTranslation("admin");
  return (
    <StaffGate
      need="admin"
      title={t("config.title")}
      next="/admin/config"
      text={{
        signInTo: t("gate.signInTo"),
        refused: t("gate.notAdmin"),
        refusedHint: t("gate.hint"),
        home: t("gate.home"),
      }}
    >
      <Configuration />
    </StaffGate>
  );
}

function Configuration() {
  const { t } = useTranslation("admin");
  const f = useFormat();
  const config = useLoad(() => adminApi.config(), []);
  const versions = usePagedList((cursor) => adminApi.versions(cursor), [], {
    idOf: (v) => String(v.version),
  });
  const current = config.data;
  const adopt = (next: ConfigView) => {
    config.setData(next);
    versions.reload();
  };
  return (
    <section className="studio" aria-labelledby="config-title">
      <header className="studio-head">
        <div>
          <h1 id="config-title">{t("config.title")}</h1>
          <p className="muted">{t("config.subtitle")}</p>
        </div>
        {current ? (
          <p className="muted" data-testid="config-version-current" data-version={current.version}>
            {current.version === 0 ? t("config.defaults") : t("config.version", { version: current.version })}
            {current.updatedAt ? ` · ${t("config.updated", { time: f.timeAgo(current.updatedAt) })}` : null}
          </p>
        ) : null}
      </header>
      {current ? (
        // A new version (saved, rolled back, reloaded) starts the form over from its value.
        <ConfigEditor
          key={current.version}
          config={current}
          onSaved={(next) => {
            toast({ title: t("config.saved", { version: next.version }), tone: "success" });
            adopt(next);
          }}
          onReload={() => {
            config.reload();
            versions.reload();
          }}
        />
      ) : config.error ? (
        <ErrorState error={config.error} onRetry={config.reload} />
      ) : (
        <div role="status" aria-label={t("config.loading")}>
          <SkeletonText lines={8} />
        </div>
      )}
      {current ? (
        <ConfigVersions
          list={versions}
          current={current.version}
          onRolledBack={(next) => {
            toast({ title: t("config.rolledBack", { version: next.version }), tone: "success" });
            adopt(next);
          }}
        />
      ) : null}
    </section>
  );
}
