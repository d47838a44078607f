import { type ComponentProps, type ReactElement, type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../components/ProblemMessage";
import { Button } from "./Button";
import type { DialogProps, DialogClose as RadixClose } from "./DialogParts";
import { lazyParts, standInTrigger } from "./lazyParts";

export type { DialogProps } from "./DialogParts";

const dialog = lazyParts(() => import("./DialogParts"));

/**
 * A modal dialog: focus moves in and back, Escape and the close button close it. Radix Dialog,
 * loaded on first use (the trigger is drawn at once). Controlled (`open`) or opened by `trigger`.
 */
export function Dialog(props: DialogProps) {
  const loaded = dialog.useLoaded();
  const { open: wanted, trigger, onOpenChange } = props;
  const { parts, open } = loaded;
  useEffect(() => {
    if (wanted && !parts) open();
  }, [wanted, parts, open]);
  if (parts) return <parts.DialogRoot {...props} defaultOpen={loaded.openOnLoad} />;
  if (!trigger) return null;
  return standInTrigger(trigger as ReactElement<Record<string, unknown>>, "dialog", loaded, () =>
    onOpenChange?.(true),
  );
}

/** Closes the dialog it is in: `<DialogClose asChild><Button>Cancel</Button></DialogClose>`. */
export function DialogClose(props: ComponentProps<typeof RadixClose>) {
  const { DialogClose: Close } = dialog.get();
  return <Close {...props} />;
}

/**
 * "Are you sure?" before something that cannot be undone. `onConfirm` may be async: the button
 * shows it is busy, a failure is shown in the dialog, success closes it.
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  cancelLabel,
  onConfirm,
  tone = "danger",
  open: controlledOpen,
  onOpenChange,
}: {
  trigger?: ReactElement;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => unknown;
  tone?: "danger" | "primary";
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const { t } = useTranslation("common");
  const [ownOpen, setOwnOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const open = controlledOpen ?? ownOpen;
  const setOpen = (next: boolean) => {
    if (!next) setError(null);
    setOwnOpen(next);
    onOpenChange?.(next);
  };
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={title}
      description={description}
      trigger={trigger}
      open={open}
      onOpenChange={setOpen}
      size="sm"
      footer={
        <>
          <DialogClose asChild>
            <Button variant="ghost">{cancelLabel ?? t("actions.cancel")}</Button>
          </DialogClose>
          <Button variant={tone} busy={busy} onClick={confirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error ? <ProblemMessage error={error} /> : null}
    </Dialog>
  );
}
