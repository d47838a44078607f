import { Flag } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ReportTargetType } from "../../lib/reports";
import { useSession } from "../../lib/session";
import { Button, type ButtonProps, IconButton } from "../../ui";

// The dialog (its form, the reasons, the API call) is its own chunk, fetched on hover/focus or first click.
const loadDialog = () => import("./ReportDialog");
const ReportDialog = lazy(() => loadDialog().then((m) => ({ default: m.ReportDialog })));

/**
 * "Report" on a video, a comment or a channel, for a signed-in profile (reports are filed by an
 * account: a signed-out visitor sees no Report, and neither its dialog nor its strings load for them).
 * It opens the report dialog; `atSeconds` is asked when it opens (a video's current time). Its
 * strings (the `reports` namespace) load under their own Suspense: the page never waits for them.
 */
export function ReportButton(props: ReportButtonProps) {
  // Reports are filed as the active profile (the API refuses a session without one).
  if (!useSession()?.profileId) return null;
  return (
    <Suspense fallback={null}>
      <ReportAction {...props} />
    </Suspense>
  );
}

interface ReportButtonProps {
  targetType: ReportTargetType;
  targetId: string;
  /** The video's current time in whole seconds when the dialog opens (video targets only). */
  atSeconds?: () => number | null;
  /** An icon-only button (its name and tooltip are the label). */
  iconOnly?: boolean;
  size?: ButtonProps["size"];
  variant?: ButtonProps["variant"];
  className?: string;
}

function ReportAction({
  targetType,
  targetId,
  atSeconds,
  iconOnly = false,
  size = "md",
  variant = "ghost",
  className,
}: ReportButtonProps) {
  const { t } = useTranslation("reports");
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState<number | null>(null);
  const label =
    targetType === "video"
      ? t("action.reportVideo")
      : targetType === "comment"
        ? t("action.reportComment")
        : t("action.reportChannel");

  function start() {
    setAt(targetType === "video" ? (atSeconds?.() ?? null) : null);
    setOpen(true);
  }
  const common = {
    onClick: start,
    onPointerEnter: () => void loadDialog(),
    onFocus: () => void loadDialog(),
    "aria-haspopup": "dialog" as const,
    "data-testid": "report-open",
    size,
    variant,
    className,
  };
  return (
    <>
      {iconOnly ? (
        <IconButton {...common} label={label} icon={<Flag />} />
      ) : (
        <Button {...common} icon={<Flag />} aria-label={label}>
          {t("action.report")}
        </Button>
      )}
      {open ? (
        <Suspense fallback={null}>
          <ReportDialog
            target={{ type: targetType, id: targetId }}
            atSeconds={at}
            open={open}
            onOpenChange={setOpen}
          />
        </Suspense>
      ) : null}
    </>
  );
}
