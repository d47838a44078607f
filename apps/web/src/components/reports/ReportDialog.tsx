import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiProblem } from "../../api/client";
import { formatDuration } from "../../lib/format";
import {
  REPORT_REASONS,
  type ReportReason,
  type ReportTarget,
  refusalOf,
  reportBody,
  reportsApi,
  retryAfterOf,
  TEXT_MAX,
  textCount,
} from "../../lib/reports";
import { useAction } from "../../lib/useAction";
import { Button, Dialog, DialogClose, FormField, TextArea, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";
import "./reports.css";

/**
 * "Report video/comment/channel": a reason from the fixed list, optional details (up to 2000
 * characters, counted), and for a video "at the current time". Sends POST /api/v1/reports; a
 * refusal (already reported, your own content, too many reports) is said in words inside the
 * dialog; success closes it with "Thanks, we'll review it". Its own chunk: pages load it on use.
 */
export function ReportDialog({
  target,
  atSeconds,
  open,
  onOpenChange,
}: {
  target: ReportTarget;
  /** Where the viewer is in the video (whole seconds), offered as "at the current time"; null: not offered. */
  atSeconds: number | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation("reports");
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t(`dialog.title.${target.type}`)}
      description={t("dialog.description")}
      size="md"
    >
      {/* Mounted while open, so every report starts empty. */}
      {open ? <ReportForm target={target} atSeconds={atSeconds} onDone={() => onOpenChange(false)} /> : null}
    </Dialog>
  );
}

function ReportForm({
  target,
  atSeconds,
  onDone,
}: {
  target: ReportTarget;
  atSeconds: number | null;
  onDone: () => void;
}) {
  const { t } = useTranslation(["reports", "common"]);
  const id = useId();
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [text, setText] = useState("");
  const [atTime, setAtTime] = useState(atSeconds !== null);
  const count = textCount(text);
  const send = useAction(async () => {
    if (!reason) return;
    await reportsApi.create(reportBody(target, reason, text, atTime ? atSeconds : null));
    toast({ title: t("dialog.thanks"), description: t("dialog.thanksHint"), tone: "success" });
    onDone();
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason || count.over || send.busy) return;
    void send.run();
  }

  return (
    <form className="report-form" onSubmit={submit} data-testid="report-dialog" noValidate>
      <fieldset className="report-reasons">
        <legend className="ui-field-label">{t("dialog.reasonLegend")}</legend>
        {REPORT_REASONS.map((r) => (
          <label key={r} className="report-reason">
            <input
              type="radio"
              name={`${id}-reason`}
              value={r}
              checked={reason === r}
              onChange={() => setReason(r)}
              data-testid={`report-reason-${r}`}
            />
            <span>
              <strong>{t(`reasons.${r}`)}</strong>
              <small className="muted">{t(`reasonHints.${r}`)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <FormField
        label={t("dialog.text")}
        hint={t("dialog.textCount", { used: count.used, max: TEXT_MAX })}
        error={count.over ? t("dialog.textOver", { over: count.used - TEXT_MAX, max: TEXT_MAX }) : undefined}
      >
        {(control) => (
          <TextArea
            {...control}
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="report-text"
          />
        )}
      </FormField>
      {target.type === "video" && atSeconds !== null ? (
        <label className="report-at">
          <input
            type="checkbox"
            checked={atTime}
            onChange={(e) => setAtTime(e.target.checked)}
            data-testid="report-at-time"
          />
          <span>{t("dialog.atTime", { time: formatDuration(atSeconds * 1000) })}</span>
        </label>
      ) : null}
      <Refusal error={send.error} />
      {reason ? null : <p className="muted report-choose">{t("dialog.chooseReason")}</p>}
      <div className="row report-actions">
        <DialogClose asChild>
          <Button variant="ghost">{t("common:actions.cancel")}</Button>
        </DialogClose>
        <Button
          type="submit"
          variant="danger"
          busy={send.busy}
          disabled={!reason || count.over}
          data-testid="report-submit"
        >
          {t("dialog.submit")}
        </Button>
      </div>
    </form>
  );
}

/** Why the report was refused, in words: the known refusals by name, anything else as the API said it. */
function Refusal({ error }: { error: unknown }) {
  const { t } = useTranslation("reports");
  if (!error) return null;
  const kind = refusalOf(error);
  if (kind === "already")
    return (
      <div role="alert" className="problem" data-refusal="already">
        <strong>{t("dialog.already")}</strong>
        <p>
          {t("dialog.alreadyHint")} <Link to="/me/reports">{t("dialog.myReports")}</Link>
        </p>
      </div>
    );
  if (kind === "rateLimited") {
    const seconds = retryAfterOf(error);
    return (
      <div role="alert" className="problem" data-refusal="rateLimited">
        <strong>{t("dialog.rateLimited")}</strong>
        <p>
          {seconds !== null
            ? t("dialog.rateLimitedIn", { count: Math.max(1, Math.ceil(seconds / 60)) })
            : t("dialog.rateLimitedHint")}
        </p>
      </div>
    );
  }
  if (kind === "notFound")
    return (
      <div role="alert" className="problem" data-refusal="notFound">
        <strong>{t("dialog.notFound")}</strong>
        <p>{t("dialog.notFoundHint")}</p>
      </div>
    );
  // Your own content, or reports switched off for the account (403): the API's detail says which.
  if (kind === "own" && error instanceof ApiProblem)
    return (
      <div role="alert" className="problem" data-refusal="own">
        <strong>{t("dialog.own")}</strong>
        {error.problem.detail ? <p>{error.problem.detail}</p> : null}
      </div>
    );
  // Anything else: the API's own title and detail.
  return (
    <div data-refusal={kind}>
      <ProblemMessage error={error} />
    </div>
  );
}
