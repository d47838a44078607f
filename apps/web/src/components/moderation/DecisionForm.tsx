import { Gavel, Lock, LockOpen } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import {
  AGE_RESTRICT_LEVELS,
  type AgeRestrictLevel,
  type ClaimStatus,
  claimConflict,
  type Decision,
  decisionBody,
  decisionsFor,
  type ModerationCase,
  moderationApi,
  type ReportTargetType,
  type Strike,
} from "../../lib/moderation";
import { useAction } from "../../lib/useAction";
import { Button, Dialog, DialogClose, FormField, Select, TextArea } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Who holds the case and the Claim / Release buttons. A claim someone else holds is a 409 from
 * the API: it is shown here as an alert naming the claim's end (`data-testid="case-conflict"`).
 */
export function ClaimPanel({
  item,
  held,
  onChange,
}: {
  item: ModerationCase;
  held: ClaimStatus;
  onChange: (next: ModerationCase | null) => void;
}) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  const [conflict, setConflict] = useState<string | null>(null);
  const claim = useAction(async () => {
    setConflict(null);
    try {
      onChange(await moderationApi.claim(item.id));
    } catch (err) {
      const c = claimConflict(err);
      if (!c) throw err;
      setConflict(c.detail);
      // Show who holds it now.
      onChange(null);
    }
  });
  const release = useAction(async () => onChange(await moderationApi.release(item.id)));
  if (item.state === "decided") return null;
  const until = item.claimExpiresAt !== null ? f.dateTime(iso(item.claimExpiresAt)) : "";
  return (
    <section className="studio-card stack" aria-labelledby="case-claim-title" data-testid="case-claim-panel">
      <h2 id="case-claim-title">{t("claim.heading")}</h2>
      <p data-testid="case-claim-status" data-held={held}>
        {held === "mine"
          ? t("claim.mine", { time: until })
          : held === "other"
            ? t("claim.other", { who: item.claimedBy ?? "", time: until })
            : t("claim.free")}
      </p>
      {conflict ? (
        <div role="alert" className="problem" data-testid="case-conflict">
          <strong>{t("claim.conflictTitle")}</strong>
          <p>{conflict}</p>
          <p>{t("claim.conflictHint")}</p>
        </div>
      ) : null}
      <ProblemMessage error={claim.error ?? release.error} />
      <div className="studio-actions">
        {held === "mine" ? (
          <Button
            icon={<LockOpen />}
            busy={release.busy}
            onClick={() => void release.run()}
            data-testid="case-release"
          >
            {t("claim.release")}
          </Button>
        ) : (
          <Button
            variant="primary"
            icon={<Lock />}
            busy={claim.busy}
            onClick={() => void claim.run()}
            data-testid="case-claim"
          >
            {t("claim.claim")}
          </Button>
        )}
      </div>
    </section>
  );
}

/**
 * The decision: one of the decisions that apply to the target (age-restrict with the rating it
 * raises to), a note, and a confirm dialog. Only the moderator holding the claim can send it.
 */
export function DecisionForm({
  item,
  targetType,
  enabled,
  onDecided,
}: {
  item: ModerationCase;
  targetType: ReportTargetType;
  enabled: boolean;
  onDecided: (result: { case: ModerationCase; strike: Strike | null }) => void;
}) {
  const { t } = useTranslation(["moderation", "common"]);
  const [decision, setDecision] = useState<Decision>("dismiss");
  const [maturity, setMaturity] = useState<AgeRestrictLevel>("adult");
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState(false);
  const decide = useAction(async () => {
    onDecided(await moderationApi.decide(item.id, decisionBody(decision, note, maturity)));
    setConfirming(false);
  });
  const label = t(`decision.${decision}`);
  return (
    <section className="studio-card" aria-labelledby="case-decide-title">
      <h2 id="case-decide-title">{t("case.decide")}</h2>
      <form
        className="studio-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (enabled) setConfirming(true);
        }}
      >
        <fieldset className="mod-choices" disabled={!enabled}>
          <legend>{t("case.decisionLegend")}</legend>
          {decisionsFor(targetType).map((d) => (
            <label key={d} className="mod-choice">
              <input
                type="radio"
                name="decision"
                value={d}
                checked={decision === d}
                onChange={() => setDecision(d)}
                data-testid={`case-decision-${d}`}
              />
              <span>
                <strong>{t(`decision.${d}`)}</strong>
                <small>{t(`decisionHint.${d}`)}</small>
              </span>
            </label>
          ))}
        </fieldset>
        {decision === "age_restrict" ? (
          <FormField label={t("case.ageRestrictTo")}>
            {(control) => (
              <Select
                {...control}
                value={maturity}
                disabled={!enabled}
                onChange={(e) => setMaturity(e.target.value as AgeRestrictLevel)}
                data-testid="case-maturity"
              >
                {AGE_RESTRICT_LEVELS.map((m) => (
                  <option key={m} value={m}>
                    {t(`maturity.${m}`)}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
        ) : null}
        <FormField label={t("case.note")} hint={t("case.noteHint")}>
          {(control) => (
            <TextArea
              {...control}
              rows={3}
              maxLength={2000}
              value={note}
              disabled={!enabled}
              onChange={(e) => setNote(e.target.value)}
              data-testid="case-note"
            />
          )}
        </FormField>
        {enabled ? null : <p className="muted">{t("case.claimFirst")}</p>}
        <div className="studio-actions">
          <Button
            type="submit"
            variant="primary"
            icon={<Gavel />}
            disabled={!enabled}
            data-testid="case-decide"
          >
            {t("case.decideButton")}
          </Button>
        </div>
      </form>
      <Dialog
        open={confirming}
        onOpenChange={(open) => {
          if (!open) decide.setError(null);
          setConfirming(open);
        }}
        size="sm"
        title={t("case.confirmTitle", { decision: label })}
        description={t("case.confirmDescription", { hint: t(`decisionHint.${decision}`) })}
        footer={
          <>
            <DialogClose asChild>
              <Button variant="ghost">{t("common:actions.cancel")}</Button>
            </DialogClose>
            <Button
              variant={decision === "dismiss" ? "primary" : "danger"}
              busy={decide.busy}
              onClick={() => void decide.run()}
              data-testid="case-decide-confirm"
            >
              {t("case.confirm")}
            </Button>
          </>
        }
      >
        {decide.error ? <ProblemMessage error={decide.error} /> : null}
      </Dialog>
    </section>
  );
}
