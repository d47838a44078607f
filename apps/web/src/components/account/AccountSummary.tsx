import { CircleAlert, CircleCheck } from "lucide-react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Account } from "../../api/types";
import { useFormat } from "../../lib/format";
import { Avatar, ButtonLink, Skeleton, StatusChip } from "../../ui";

/** Who is signed in: name, email (verified or not, with the way to verify) and where to go next. */
export function AccountSummary({ account }: { account: Account }) {
  const { t } = useTranslation("account");
  const f = useFormat();
  return (
    <div className="account-summary panel">
      <Avatar id={account.id} name={account.displayName} size="lg" />
      <div className="account-summary-text">
        <p className="account-summary-name">{account.displayName}</p>
        <p>
          <Trans
            t={t}
            i18nKey="signedInAs"
            values={{ email: account.email }}
            components={{ 1: <strong /> }}
          />
        </p>
        <div className="row">
          {account.emailVerified ? (
            <StatusChip tone="success" icon={<CircleCheck aria-hidden="true" />}>
              {t("verified")}
            </StatusChip>
          ) : (
            <>
              <StatusChip tone="warning" icon={<CircleAlert aria-hidden="true" />}>
                {t("notVerified")}
              </StatusChip>
              <Link to="/verify-email">{t("verifyNow")}</Link>
            </>
          )}
          <span className="muted">{t("memberSince", { date: f.date(account.createdAt) })}</span>
        </div>
      </div>
      <div className="account-summary-links">
        <ButtonLink to="/profiles" size="sm">
          {t("profiles")}
        </ButtonLink>
        <ButtonLink to="/account/billing" size="sm">
          {t("billing")}
        </ButtonLink>
        <ButtonLink to="/history" size="sm" variant="ghost">
          {t("history")}
        </ButtonLink>
      </div>
    </div>
  );
}

/** The summary's shape while the account loads. */
export function AccountSummarySkeleton() {
  const { t } = useTranslation("account");
  return (
    <div className="account-summary panel" role="status" aria-label={t("loading")}>
      <Skeleton width="4rem" height="4rem" radius="full" />
      <div className="account-summary-text">
        <Skeleton width="10rem" height="1.25rem" />
        <Skeleton width="16rem" height="1rem" />
      </div>
    </div>
  );
}
