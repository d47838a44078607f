import { Download } from "lucide-react";
import { useTranslation } from "react-i18next";
import { type ChartData, downloadCsv, toCsv } from "../../lib/analytics";
import { Button, toast } from "../../ui";

/**
 * "Download CSV" under a chart: that chart's data as a file built in the browser (a Blob; RFC 4180,
 * a header row, ISO dates, numbers unformatted), named by `fileName`.
 */
export function CsvButton({
  data,
  fileName,
  chart,
}: {
  data: () => ChartData;
  fileName: string;
  chart: string;
}) {
  const { t } = useTranslation("analytics");
  return (
    <Button
      size="sm"
      variant="ghost"
      icon={<Download />}
      aria-label={t("charts.downloadCsvOf", { chart })}
      data-testid="analytics-csv"
      data-file={fileName}
      onClick={() => {
        const { header, rows } = data();
        downloadCsv(fileName, toCsv(header, rows));
        toast({ title: t("charts.downloaded", { file: fileName }), tone: "success" });
      }}
    >
      {t("charts.downloadCsv")}
    </Button>
  );
}
