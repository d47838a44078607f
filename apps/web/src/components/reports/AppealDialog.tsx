import { Scale } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AppealState, reportsApi, TEXT_MAX, textCount } from "../../lib/reports";
import { useAction } from "../../lib/useAction";
import { Button, Dialog, DialogClose, FormField, TextArea, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

/**
 * "Appeal" on an active strike or warning: why it was a mistake (1–2000 characters), sent once
 * (POST /api/v1/me/strikes/{strikeId}/appeal; a second try, or a strike lifted or expired
 * meanwhile, is refused with 409 and shown here). `onAppealed` gets the new appeal's id.
 */
export function AppealDialog({
  strikeId,
  onAppealed,
}: {
  strikeId: string;
  onAppealed: (appeal: { id: string; state: AppealState }) => void;
}) {
  const { t } = useTranslation("reports");
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={t("appeal.title")}
      description={t("appeal.description")}
      size="md"
      trigger={
        <Button icon={<Scale />} data-testid="appeal-open">
          {t("appeal.open")}
        </Button>
      }
    >
      {open ? (
        <AppealForm
          strikeId={strikeId}
          onDone={(appeal) => {
            setOpen(false);
            onAppealed(appeal);
          }}
        />
      ) : null}
    </Dialog>
  );
}

function AppealForm({
  strikeId,
  onDone,
}: {
  strikeId: string;
  onDone: (appeal: { id: string; state: AppealState }) => void;
}) {
  const { t } = useTranslation(["reports", "common"]);
  const [text, setText] = useState("");
  const count = textCount(text);
  const send = useAction(async () => {
    const appeal = await reportsApi.appeal(strikeId, text.trim());
    toast({ title: t("appeal.sent"), description: t("appeal.sentHint"), tone: "success" });
    onDone({ id: appeal.id, state: appeal.state });
  });
  const ready = count.used > 0 && !count.over;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (ready && !send.busy) void send.run();
  }

  return (
    <form className="report-form" onSubmit={submit} data-testid="appeal-dialog" noValidate>
      <FormField
        label={t("appeal.text")}
        hint={t("dialog.textCount", { used: count.used, max: TEXT_MAX })}
        error={count.over ? t("dialog.textOver", { over: count.used - TEXT_MAX, max: TEXT_MAX }) : undefined}
      >
        {(control) => (
          <TextArea
            {...control}
            rows={6}
            value={text}
            required
            onChange={(e) => setText(e.target.value)}
            data-testid="appeal-text"
          />
        )}
      </FormField>
      <p className="muted report-choose">{t("appeal.once")}</p>
      <ProblemMessage error={send.error} />
      <div className="row report-actions">
        <DialogClose asChild>
          <Button variant="ghost">{t("common:actions.cancel")}</Button>
        </DialogClose>
        <Button
          type="submit"
          variant="primary"
          busy={send.busy}
          disabled={!ready}
          data-testid="appeal-submit"
        >
          {t("appeal.submit")}
        </Button>
      </div>
    </form>
  );
}
