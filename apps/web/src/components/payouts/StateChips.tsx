import { useTranslation } from "react-i18next";
import { PAYOUT_STATE_TONE, type PayoutRun, type PayoutState, RUN_STATE_TONE } from "../../lib/payouts";
import { StatusChip } from "../../ui";

/** A payout's state in words and colour: Pending, Sending, Paid, Failed. */
export function PayoutStateChip({ state }: { state: PayoutState }) {
  const { t } = useTranslation("payouts");
  return (
    <StatusChip tone={PAYOUT_STATE_TONE[state]} data-state={state}>
      {t(`state.${state}`)}
    </StatusChip>
  );
}

/** A payout run's state: Running, Finished, Failed. */
export function RunStateChip({ state }: { state: PayoutRun["state"] }) {
  const { t } = useTranslation("payouts");
  return (
    <StatusChip tone={RUN_STATE_TONE[state]} data-state={state}>
      {t(`admin.runState.${state}`)}
    </StatusChip>
  );
}
