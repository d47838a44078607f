import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { ReportList, StrikeList, TargetPanel } from "../../components/moderation/CaseParts";
import { ClaimPanel, DecisionForm } from "../../components/moderation/DecisionForm";
import { StaffGate } from "../../components/moderation/StaffGate";
import { useFormat } from "../../lib/format";
import { CASE_STATE_TONE, type CaseDetail, claimStatus, moderationApi } from "../../lib/moderation";
import { useSession } from "../../lib/session";
import { useLoad } from "../../lib/useLoad";
import { ButtonLink, ErrorState, SkeletonText, StatusChip, toast } from "../../ui";
import "../../studio.css";
import "../../components/moderation/moderation.css";

/** /moderation/cases/:caseId: one case (GET /api/v1/moderation/cases/{caseId}), its claim and its decision. */
export function ModerationCasePage() {
  const { t } = useTranslation("moderation");
  const caseId = useParams().caseId ?? "";
  return (
    <StaffGate
      need="moderate"
      title={t("case.title")}
      next={`/moderation/cases/${encodeURIComponent(caseId)}`}
      text={{
        signInTo: t("gate.signInTo"),
        refused: t("gate.notModerator"),
        refusedHint: t("gate.hint"),
        home: t("gate.home"),
      }}
    >
      <CaseView caseId={caseId} />
    </StaffGate>
  );
}

function CaseView({ caseId }: { caseId: string }) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  const me = useSession()?.accountId ?? null;
  const detail = useLoad(() => moderationApi.case(caseId), [caseId]);
  const data = detail.data;
  const back = (
    <ButtonLink to="/moderation" variant="ghost" icon={<ArrowLeft />}>
      {t("case.back")}
    </ButtonLink>
  );
  if (!data) {
    return (
      <section className="studio" aria-labelledby="case-title">
        <header className="studio-head">
          <h1 id="case-title">{t("case.title")}</h1>
          {back}
        </header>
        {detail.error ? (
          <ErrorState error={detail.error} onRetry={detail.reload} />
        ) : (
          <div role="status" aria-label={t("case.loading")}>
            <SkeletonText lines={6} />
          </div>
        )}
      </section>
    );
  }
  const item = data.case;
  const held = claimStatus(item, me);
  // A claim, a release or a decision answers the case as it is now; a lost claim reloads it.
  const replaceCase = (next: CaseDetail["case"] | null) => {
    if (next) detail.setData((d) => (d ? { ...d, case: next } : d));
    else detail.reload();
  };
  return (
    <section className="studio" aria-labelledby="case-title" data-testid="case" data-case-id={item.id}>
      <header className="studio-head">
        <div>
          <h1 id="case-title">{t("case.title")}</h1>
          <p className="mod-line">
            <StatusChip tone={CASE_STATE_TONE[item.state]} data-testid="case-state" data-state={item.state}>
              {t(`caseState.${item.state}`)}
            </StatusChip>
            <span className="mod-mono">{item.id}</span>
          </p>
        </div>
        {back}
      </header>
      {item.state === "decided" && item.decision ? (
        <div className="mod-ok" role="status" data-testid="case-outcome" data-decision={item.decision}>
          <strong>{t("case.decided", { decision: t(`decision.${item.decision}`) })}</strong>
          {item.decidedAt !== null ? (
            <p>
              {t("case.decidedBy", {
                who: item.decidedBy === me ? t("claim.you") : (item.decidedBy ?? ""),
                time: f.timeAgo(new Date(item.decidedAt).toISOString()),
              })}
            </p>
          ) : null}
          {item.note ? <p className="pre-wrap">{item.note}</p> : null}
        </div>
      ) : null}
      <div className="mod-case">
        <div>
          <TargetPanel detail={data} />
          <ReportList reports={data.reports} weight={item.weight} />
        </div>
        <div>
          <ClaimPanel item={item} held={held} onChange={replaceCase} />
          {item.state !== "decided" ? (
            <DecisionForm
              item={item}
              targetType={data.target.type}
              enabled={held === "mine"}
              onDecided={(result) => {
                toast({
                  title: result.strike
                    ? result.strike.kind === "warning"
                      ? t("case.warningIssued")
                      : t("case.strikeIssued")
                    : t("case.decided", { decision: t(`decision.${result.case.decision ?? "dismiss"}`) }),
                  tone: "success",
                });
                // The reports' states and the owner's strikes changed too: read the case again.
                replaceCase(result.case);
                detail.reload();
              }}
            />
          ) : null}
          <StrikeList strikes={data.ownerStrikes} />
        </div>
      </div>
    </section>
  );
}
