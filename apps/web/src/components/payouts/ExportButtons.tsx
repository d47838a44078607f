import { Download } from "lucide-react";
import { useTranslation } from "react-i18next";
import {
  collectAll,
  csvFileName,
  downloadCsv,
  type EarningsRow,
  earningsCsv,
  type Payout,
  payoutsApi,
  payoutsCsv,
} from "../../lib/payouts";
import { useAction } from "../../lib/useAction";
import { Button, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

/**
 * "Export earnings" and "Export payouts": every page of the list (not only what is on screen),
 * built into a CSV file in the browser (lib/payouts.ts: RFC 4180 quoting, dollars from cents by
 * digits) and handed over as a download.
 */
export function ExportButtons() {
  const { t } = useTranslation("payouts");
  const done = (count: number, complete: boolean) =>
    toast(
      complete
        ? { title: t("export.done", { count }), tone: "success" }
        : { title: t("export.partial", { count }), tone: "warning" },
    );
  const earnings = useAction(async () => {
    const { items, complete } = await collectAll<EarningsRow>((cursor) => payoutsApi.earnings(cursor, 100));
    downloadCsv(csvFileName("earnings"), earningsCsv(items));
    done(items.length, complete);
  });
  const payouts = useAction(async () => {
    const { items, complete } = await collectAll<Payout>((cursor) => payoutsApi.payouts(cursor, 100));
    downloadCsv(csvFileName("payouts"), payoutsCsv(items));
    done(items.length, complete);
  });
  return (
    <div className="stack">
      <div className="studio-actions">
        <Button icon={<Download />} busy={earnings.busy} onClick={() => void earnings.run()}>
          {t("export.earnings")}
        </Button>
        <Button icon={<Download />} busy={payouts.busy} onClick={() => void payouts.run()}>
          {t("export.payouts")}
        </Button>
      </div>
      <ProblemMessage error={earnings.error ?? payouts.error} />
    </div>
  );
}
