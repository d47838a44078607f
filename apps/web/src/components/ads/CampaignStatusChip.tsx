import { useTranslation } from "react-i18next";
import { type CampaignStatus, STATUS_TONE } from "../../lib/ads";
import { StatusChip } from "../../ui";

/** A campaign's state in words and colour; `data-status` is the API's value (what tests read). */
export function CampaignStatusChip({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation("ads");
  return (
    <StatusChip tone={STATUS_TONE[status] ?? "neutral"} data-testid="campaign-status" data-status={status}>
      {t(`status.${status}`)}
    </StatusChip>
  );
}
