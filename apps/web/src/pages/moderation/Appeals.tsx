import { Flag } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { SelectField } from "../../components/form/Field";
import { ListFooter } from "../../components/ListFooter";
import { AppealCard } from "../../components/moderation/AppealCard";
import { StaffGate } from "../../components/moderation/StaffGate";
import { APPEAL_STATES, type AppealState, moderationApi } from "../../lib/moderation";
import { useSession } from "../../lib/session";
import { usePagedList } from "../../lib/usePagedList";
import { ButtonLink } from "../../ui";
import "../../studio.css";
import "../../components/moderation/moderation.css";

/** /moderation/appeals: creators' appeals of strikes (GET /api/v1/moderation/appeals), claim and decide. */
export function ModerationAppealsPage() {
  const { t } = useTranslation("moderation");
  return (
    <StaffGate
      need="moderate"
      title={t("appeals.title")}
      next="/moderation/appeals"
      text={{
        signInTo: t("gate.signInTo"),
        refused: t("gate.notModerator"),
        refusedHint: t("gate.hint"),
        home: t("gate.home"),
      }}
    >
      <Appeals />
    </StaffGate>
  );
}

function Appeals() {
  const { t } = useTranslation("moderation");
  const me = useSession()?.accountId ?? null;
  const [state, setState] = useState<AppealState | "">("");
  const appeals = usePagedList((cursor) => moderationApi.appeals(state, cursor), [state], {
    idOf: (a) => a.id,
  });
  return (
    <section className="studio" aria-labelledby="appeals-title">
      <header className="studio-head">
        <div>
          <h1 id="appeals-title">{t("appeals.title")}</h1>
          <p className="muted">{t("appeals.subtitle")}</p>
        </div>
        <ButtonLink to="/moderation" icon={<Flag />}>
          {t("appeals.queueLink")}
        </ButtonLink>
      </header>
      <div className="mod-filters">
        <SelectField
          label={t("appeals.state")}
          value={state}
          onChange={setState}
          none={t("appeals.any")}
          options={APPEAL_STATES.map((s) => ({ value: s, label: t(`appealState.${s}`) }))}
        />
      </div>
      <div className="stack">
        {appeals.items.map((a) => (
          <AppealCard
            key={a.id}
            appeal={a}
            me={me}
            onChange={(next) => appeals.setItems((items) => items.map((i) => (i.id === next.id ? next : i)))}
          />
        ))}
      </div>
      <ListFooter
        list={appeals}
        empty={t("appeals.empty")}
        emptyHint={t("appeals.emptyHint")}
        more={t("appeals.more")}
        loadingText={t("appeals.loading")}
      />
    </section>
  );
}
