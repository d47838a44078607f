import { CircleStop, Pause, Play, Send } from "lucide-react";
import { useTranslation } from "react-i18next";
import { adsApi, type Campaign, type CampaignStatusChange, nextActions } from "../../lib/ads";
import { useAction } from "../../lib/useAction";
import { Button, ConfirmDialog, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

const TARGET: Record<"submit" | "pause" | "resume" | "end", CampaignStatusChange> = {
  submit: "in_review",
  pause: "paused",
  resume: "active",
  end: "ended",
};

/** The state changes the advertiser may make now: submit for review, pause, resume, end (confirmed). */
export function CampaignActions({
  campaign,
  onUpdated,
}: {
  campaign: Campaign;
  onUpdated: (c: Campaign) => void;
}) {
  const { t } = useTranslation("ads");
  async function apply(action: keyof typeof TARGET) {
    const updated = await adsApi.update(campaign.id, { status: TARGET[action] });
    onUpdated(updated);
    toast({ title: t(`actions.done.${action}`), tone: "success" });
  }
  const change = useAction(apply);
  const actions = nextActions(campaign);
  const needsCreative =
    (campaign.status === "draft" || campaign.status === "rejected") && campaign.creative?.status !== "ready";
  return (
    <div className="stack ads-actions">
      <div className="row">
        {actions.includes("submit") ? (
          <Button
            variant="primary"
            icon={<Send />}
            busy={change.busy}
            onClick={() => void change.run("submit")}
          >
            {t("actions.submit")}
          </Button>
        ) : null}
        {actions.includes("pause") ? (
          <Button icon={<Pause />} busy={change.busy} onClick={() => void change.run("pause")}>
            {t("actions.pause")}
          </Button>
        ) : null}
        {actions.includes("resume") ? (
          <Button
            variant="primary"
            icon={<Play />}
            busy={change.busy}
            onClick={() => void change.run("resume")}
          >
            {t("actions.resume")}
          </Button>
        ) : null}
        {actions.includes("end") ? (
          <ConfirmDialog
            title={t("actions.endTitle")}
            description={t("actions.endDescription")}
            confirmLabel={t("actions.end")}
            cancelLabel={t("actions.keep")}
            tone="danger"
            onConfirm={() => apply("end")}
            trigger={
              <Button variant="ghost" icon={<CircleStop />} disabled={change.busy}>
                {t("actions.end")}
              </Button>
            }
          />
        ) : null}
      </div>
      {needsCreative ? <p className="muted">{t("actions.needsCreative")}</p> : null}
      <ProblemMessage error={change.error} />
    </div>
  );
}
