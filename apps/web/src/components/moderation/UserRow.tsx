import { ShieldPlus, UserCheck, UserX } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AdminUser, adminApi, EDITABLE_ROLES, type Role } from "../../lib/admin";
import { useFormat } from "../../lib/format";
import { useLoad } from "../../lib/useLoad";
import {
  Badge,
  Button,
  Dialog,
  DialogClose,
  FormField,
  Spinner,
  StatusChip,
  TextArea,
  toast,
} from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

/**
 * One account: who it is, its roles (editable), its channel's moderation state and active strikes,
 * and suspend / restore with a reason. An admin's own row cannot suspend itself (the API refuses too).
 */
export function UserRow({
  user,
  me,
  onOpen,
}: {
  user: AdminUser;
  me: string | null;
  /** Opens the roles or suspension dialog (held by the page, so a list refresh does not close it). */
  onOpen: (dialog: UserDialog) => void;
}) {
  const { t } = useTranslation("admin");
  const f = useFormat();
  const setDialog = (kind: UserDialog["kind"]) => onOpen({ kind, user });
  const suspended = user.suspension !== null;
  // The list has no strike counts; the account's standing (GET /admin/users/{id}) has. Only an
  // account with a channel can have strikes, so only those are asked.
  const standing = useLoad(() => adminApi.user(user.id), [user.id], { enabled: user.channel !== null });
  return (
    <tr
      data-testid="admin-user-row"
      data-user-id={user.id}
      data-email={user.email}
      data-suspended={String(suspended)}
    >
      <th scope="row">
        <div className="mod-cell-stack">
          <span>
            {user.displayName}
            {user.id === me ? ` (${t("users.you")})` : ""}
          </span>
          <span className="muted">{user.email}</span>
          <span className="mod-mono">{user.id}</span>
        </div>
      </th>
      <td>
        <div className="mod-line" data-testid="admin-user-roles">
          {user.roles.map((r) => (
            <Badge key={r} tone={r === "admin" || r === "moderator" ? "info" : "neutral"} data-role={r}>
              {t(`role.${r}`)}
            </Badge>
          ))}
        </div>
      </td>
      <td>
        {user.channel ? (
          <div className="mod-cell-stack">
            <span>{user.channel.name}</span>
            <span className="muted">@{user.channel.handle}</span>
            <StatusChip
              tone={user.channel.moderationState === "active" ? "success" : "warning"}
              data-testid="admin-channel-state"
            >
              {t(`channelState.${user.channel.moderationState}`)}
            </StatusChip>
          </div>
        ) : (
          <span className="muted">{t("users.noChannel")}</span>
        )}
      </td>
      <td className="mod-num" data-testid="admin-user-strikes">
        {user.channel === null ? (
          <span className="muted">{t("users.none")}</span>
        ) : standing.data ? (
          f.number(standing.data.activeStrikes)
        ) : standing.error ? (
          <span className="muted">{t("users.unknown")}</span>
        ) : (
          <Spinner size="sm" />
        )}
      </td>
      <td>
        {suspended ? (
          <div className="mod-cell-stack">
            <StatusChip tone="danger">
              {t("users.suspendedSince", { time: f.timeAgo(user.suspension?.at) })}
            </StatusChip>
            {user.suspension?.reason ? (
              <span className="muted pre-wrap">
                {t("users.suspendedReason", { reason: user.suspension.reason })}
              </span>
            ) : null}
          </div>
        ) : (
          <StatusChip tone="success">{t("users.active")}</StatusChip>
        )}
      </td>
      <td>
        <div className="mod-row-actions">
          <Button
            size="sm"
            icon={<ShieldPlus />}
            onClick={() => setDialog("roles")}
            data-testid="admin-roles"
          >
            {t("users.editRoles")}
          </Button>
          {suspended ? (
            <Button
              size="sm"
              icon={<UserCheck />}
              onClick={() => setDialog("suspension")}
              data-testid="admin-restore"
            >
              {t("users.restore")}
            </Button>
          ) : (
            <Button
              size="sm"
              variant="danger"
              icon={<UserX />}
              disabled={user.id === me}
              onClick={() => setDialog("suspension")}
              data-testid="admin-suspend"
            >
              {t("users.suspend")}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
}

export interface UserDialog {
  kind: "roles" | "suspension";
  user: AdminUser;
}

/** The open dialog of the users page: roles or suspension of one account. */
export function UserDialogs({
  dialog,
  onClose,
  onSaved,
}: {
  dialog: UserDialog | null;
  onClose: () => void;
  onSaved: (next: AdminUser) => void;
}) {
  if (!dialog) return null;
  return dialog.kind === "roles" ? (
    <RolesDialog user={dialog.user} onClose={onClose} onSaved={onSaved} />
  ) : (
    <SuspensionDialog user={dialog.user} onClose={onClose} onSaved={onSaved} />
  );
}

/** A dialog's busy/error around one async call that closes it on success. */
function useDialogCall() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

function RolesDialog({
  user,
  onClose,
  onSaved,
}: {
  user: AdminUser;
  onClose: () => void;
  onSaved: (next: AdminUser) => void;
}) {
  const { t } = useTranslation(["admin", "common"]);
  const [roles, setRoles] = useState<Role[]>(user.roles.filter((r) => r !== "viewer"));
  const call = useDialogCall();
  const save = () =>
    call.run(async () => {
      const account = await adminApi.setRoles(user.id, roles);
      onSaved({ ...user, roles: account.roles });
      toast({ title: t("users.rolesSaved"), tone: "success" });
      onClose();
    });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      size="sm"
      title={t("users.rolesTitle", { name: user.displayName })}
      description={t("users.rolesDescription")}
      footer={
        <>
          <DialogClose asChild>
            <Button variant="ghost">{t("common:actions.cancel")}</Button>
          </DialogClose>
          <Button
            variant="primary"
            busy={call.busy}
            onClick={() => void save()}
            data-testid="admin-roles-save"
          >
            {t("users.saveRoles")}
          </Button>
        </>
      }
    >
      <fieldset className="mod-choices">
        <legend className="visually-hidden">{t("users.roles")}</legend>
        {EDITABLE_ROLES.map((r) => (
          <label key={r} className="mod-check">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) =>
                setRoles((now) => (e.target.checked ? [...now, r] : now.filter((x) => x !== r)))
              }
              data-testid={`admin-role-${r}`}
            />
            <span>{t(`role.${r}`)}</span>
          </label>
        ))}
      </fieldset>
      <ProblemMessage error={call.error} />
    </Dialog>
  );
}

function SuspensionDialog({
  user,
  onClose,
  onSaved,
}: {
  user: AdminUser;
  onClose: () => void;
  onSaved: (next: AdminUser) => void;
}) {
  const { t } = useTranslation(["admin", "common"]);
  const suspend = user.suspension === null;
  const [reason, setReason] = useState("");
  const call = useDialogCall();
  const confirm = () =>
    call.run(async () => {
      onSaved(await adminApi.suspend(user.id, suspend, reason));
      toast({ title: suspend ? t("users.suspendedToast") : t("users.restoredToast"), tone: "success" });
      onClose();
    });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      size="sm"
      title={
        suspend
          ? t("users.suspendTitle", { name: user.displayName })
          : t("users.restoreTitle", { name: user.displayName })
      }
      description={suspend ? t("users.suspendDescription") : t("users.restoreDescription")}
      footer={
        <>
          <DialogClose asChild>
            <Button variant="ghost">{t("common:actions.cancel")}</Button>
          </DialogClose>
          <Button
            variant={suspend ? "danger" : "primary"}
            busy={call.busy}
            disabled={!reason.trim()}
            onClick={() => void confirm()}
            data-testid="admin-suspend-confirm"
          >
            {suspend ? t("users.confirmSuspend") : t("users.confirmRestore")}
          </Button>
        </>
      }
    >
      <FormField label={t("users.reason")} hint={t("users.reasonHint")}>
        {(control) => (
          <TextArea
            {...control}
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="admin-suspend-reason"
          />
        )}
      </FormField>
      <ProblemMessage error={call.error} />
    </Dialog>
  );
}
