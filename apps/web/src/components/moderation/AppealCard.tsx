import { Check, Lock, X } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import {
  APPEAL_STATE_TONE,
  type Appeal,
  appealBlock,
  claimConflict,
  claimStatus,
  moderationApi,
} from "../../lib/moderation";
import { useAction } from "../../lib/useAction";
import { Button, FormField, StatusChip, TextArea, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One appeal: the creator's text, the strike it is about and who issued it, the claim, and the
 * decision (grant lifts the strike, deny keeps it) with a note. The strike's issuer sees the
 * buttons disabled with the reason: the API refuses them (403), and the rule is the point.
 */
export function AppealCard({
  appeal,
  me,
  onChange,
}: {
  appeal: Appeal;
  me: string | null;
  onChange: (next: Appeal) => void;
}) {
  const { t } = useTranslation("moderation");
  const f = useFormat();
  const [note, setNote] = useState("");
  const [conflict, setConflict] = useState<string | null>(null);
  const own = appealBlock(appeal, me) === "own";
  const held = claimStatus(appeal, me);
  const decided = appeal.state === "granted" || appeal.state === "denied";
  const claim = useAction(async () => {
    setConflict(null);
    try {
      onChange(await moderationApi.claimAppeal(appeal.id));
    } catch (err) {
      const c = claimConflict(err);
      if (!c) throw err;
      setConflict(c.detail);
    }
  });
  const decide = useAction(async (grant: boolean) => {
    const next = await moderationApi.decideAppeal(appeal.id, grant, note);
    toast({ title: grant ? t("appeals.granted") : t("appeals.denied"), tone: grant ? "success" : "info" });
    onChange(next);
  });
  const who = (id: string | null) => (id && id === me ? t("claim.you") : (id ?? ""));
  return (
    <article
      className="studio-card stack"
      aria-labelledby={`appeal-${appeal.id}`}
      data-testid="appeal-row"
      data-appeal-id={appeal.id}
      data-strike-id={appeal.strikeId}
      data-state={appeal.state}
    >
      <div className="mod-line">
        <h2 id={`appeal-${appeal.id}`} className="mod-mono">
          {t("appeals.strike", { id: appeal.strikeId })}
        </h2>
        <StatusChip tone={APPEAL_STATE_TONE[appeal.state]}>{t(`appealState.${appeal.state}`)}</StatusChip>
      </div>
      <blockquote className="mod-quote">{appeal.text}</blockquote>
      <div className="mod-line muted">
        <span>{t("appeals.filed", { time: f.timeAgo(iso(appeal.createdAt)) })}</span>
        <span>·</span>
        <span className="mod-mono">{t("appeals.from", { id: appeal.accountId })}</span>
        <span>·</span>
        <span>{t("appeals.issuedBy", { who: who(appeal.strikeDecidedBy) })}</span>
      </div>
      {decided ? (
        <div className="notice">
          <p>
            {t("appeals.decidedBy", {
              who: who(appeal.decidedBy),
              time: appeal.decidedAt !== null ? f.timeAgo(iso(appeal.decidedAt)) : "",
            })}
          </p>
          {appeal.note ? <p className="pre-wrap">{appeal.note}</p> : null}
        </div>
      ) : (
        <>
          {own ? (
            <p className="notice" data-testid="appeal-own">
              {t("appeals.ownStrike")}
            </p>
          ) : held === "other" ? (
            <p>
              {t("claim.other", {
                who: appeal.claimedBy ?? "",
                time: appeal.claimExpiresAt !== null ? f.dateTime(iso(appeal.claimExpiresAt)) : "",
              })}
            </p>
          ) : held === "mine" ? (
            <p>
              {t("claim.mine", {
                time: appeal.claimExpiresAt !== null ? f.dateTime(iso(appeal.claimExpiresAt)) : "",
              })}
            </p>
          ) : null}
          {conflict ? (
            <div role="alert" className="problem" data-testid="appeal-conflict">
              <strong>{t("claim.conflictTitle")}</strong>
              <p>{conflict}</p>
            </div>
          ) : null}
          {held === "mine" && !own ? (
            <FormField label={t("appeals.note")} hint={t("appeals.noteHint")}>
              {(control) => (
                <TextArea
                  {...control}
                  rows={3}
                  maxLength={2000}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  data-testid="appeal-note"
                />
              )}
            </FormField>
          ) : null}
          <ProblemMessage error={claim.error ?? decide.error} />
          <div className="studio-actions">
            {held !== "mine" ? (
              <Button
                variant="primary"
                icon={<Lock />}
                busy={claim.busy}
                disabled={own}
                title={own ? t("appeals.ownStrike") : undefined}
                onClick={() => void claim.run()}
                data-testid="appeal-claim"
              >
                {t("claim.claim")}
              </Button>
            ) : null}
            <Button
              variant="primary"
              icon={<Check />}
              busy={decide.busy}
              disabled={own || held !== "mine"}
              onClick={() => void decide.run(true)}
              data-testid="appeal-grant"
            >
              {t("appeals.grant")}
            </Button>
            <Button
              variant="danger"
              icon={<X />}
              busy={decide.busy}
              disabled={own || held !== "mine"}
              onClick={() => void decide.run(false)}
              data-testid="appeal-deny"
            >
              {t("appeals.deny")}
            </Button>
          </div>
        </>
      )}
    </article>
  );
}
