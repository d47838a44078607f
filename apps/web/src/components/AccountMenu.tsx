import { LogIn } from "lucide-react";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiProblem, api } from "../api/client";
import { isPaidPlan, useBilling } from "../lib/billing";
import { switchProfile, useProfiles } from "../lib/profiles";
import { session, useSession } from "../lib/session";
import { Avatar, Badge, Button, ButtonLink, Menu, toast } from "../ui";

// What the open menu lists (and its icons) loads with the menu, on first use.
const AccountMenuItems = lazy(() =>
  import("./header/AccountMenuItems").then((m) => ({ default: m.AccountMenuItems })),
);

/**
 * The header's account menu: the active profile, switching to another without signing out,
 * managing profiles, history, the account, billing and sign out, with the paid plan as a badge.
 * Signed out: "Sign in".
 */
export function AccountMenu() {
  const { t } = useTranslation(["layout", "common"]);
  const s = useSession();
  const navigate = useNavigate();
  const { active } = useProfiles();
  const { billing } = useBilling();

  if (!s)
    return (
      <ButtonLink to="/signin" variant="primary" icon={<LogIn />} className="account-sign-in">
        {t("account.signIn")}
      </ButtonLink>
    );

  async function choose(profileId: string) {
    if (profileId === s?.profileId) return;
    try {
      await switchProfile(profileId);
      navigate("/");
    } catch (err) {
      toast({
        title: t("account.switchFailed"),
        description: err instanceof ApiProblem ? err.problem.detail : undefined,
        tone: "danger",
      });
    }
  }

  async function signOut() {
    // Revoke the session server-side; sign out locally whatever the answer.
    await api.POST("/api/v1/auth/logout").catch(() => undefined);
    session.signOut();
    navigate("/");
    toast({ title: t("account.signedOut") });
  }

  const name = active?.name ?? t("account.fallbackName");
  const kids = t("common:maturity.kids");
  return (
    <Menu
      label={t("account.menu")}
      trigger={
        <Button variant="ghost" className="account-trigger">
          {/* Named by its content ("Ada, account menu"): the visible name leads the accessible one. */}
          <Avatar id={active?.id ?? s.profileId ?? s.accountId} name={name} size="sm" />
          <span className="account-name">{name}</span>
          <span className="visually-hidden">{t("account.trigger")}</span>
          {active?.maturity === "kids" ? <Badge tone="success">{kids}</Badge> : null}
          <PlanBadge plan={billing?.entitlements.plan} />
        </Button>
      }
    >
      <Suspense fallback={null}>
        <AccountMenuItems onChoose={(id) => void choose(id)} onSignOut={() => void signOut()} />
      </Suspense>
    </Menu>
  );
}

/** "Standard" / "Premium" beside the name for a paid plan (free shows nothing). */
function PlanBadge({ plan }: { plan: string | undefined }) {
  const { t } = useTranslation("common");
  if (!plan || !isPaidPlan(plan)) return null;
  const name = plan === "standard" || plan === "premium" ? t(`plan.${plan}`) : plan;
  return (
    <Badge tone="warning" className="account-plan" data-testid="plan-badge" data-plan={plan}>
      {name}
    </Badge>
  );
}
