import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field, SelectField } from "../../components/form/Field";
import { ListFooter } from "../../components/ListFooter";
import { StaffGate } from "../../components/moderation/StaffGate";
import { type UserDialog, UserDialogs, UserRow } from "../../components/moderation/UserRow";
import { adminApi, NO_USER_FILTERS, ROLES, type UserFilters } from "../../lib/admin";
import { useSession } from "../../lib/session";
import { useDebounced } from "../../lib/useDebounced";
import { usePagedList } from "../../lib/usePagedList";
import "../../studio.css";
import "../../components/moderation/moderation.css";

/** /admin/users: find accounts (GET /api/v1/admin/users), edit their roles, suspend or restore them. */
export function AdminUsersPage() {
  const { t } = useTranslation("admin");
  return (
    <StaffGate
      need="admin"
      title={t("users.title")}
      next="/admin/users"
      text={{
        signInTo: t("gate.signInTo"),
        refused: t("gate.notAdmin"),
        refusedHint: t("gate.hint"),
        home: t("gate.home"),
      }}
    >
      <Users />
    </StaffGate>
  );
}

function Users() {
  const { t } = useTranslation("admin");
  const me = useSession()?.accountId ?? null;
  const [filters, setFilters] = useState<UserFilters>(NO_USER_FILTERS);
  const [dialog, setDialog] = useState<UserDialog | null>(null);
  // The search box asks once typing stops.
  const asked = useDebounced(filters, 300);
  const users = usePagedList((cursor) => adminApi.users(asked, cursor), [asked], { idOf: (u) => u.id });
  const set =
    <K extends keyof UserFilters>(key: K) =>
    (value: UserFilters[K]) =>
      setFilters((f) => ({ ...f, [key]: value }));
  return (
    <section className="studio" aria-labelledby="users-title">
      <header className="studio-head">
        <div>
          <h1 id="users-title">{t("users.title")}</h1>
          <p className="muted">{t("users.subtitle")}</p>
        </div>
      </header>
      <search className="mod-filters">
        <Field
          label={t("users.search")}
          hint={t("users.searchHint")}
          type="search"
          value={filters.q}
          onChange={set("q")}
          data-testid="admin-user-search"
        />
        <SelectField
          label={t("users.role")}
          value={filters.role}
          onChange={set("role")}
          none={t("users.any")}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <SelectField
          label={t("users.suspended")}
          value={filters.suspended}
          onChange={set("suspended")}
          none={t("users.any")}
          options={[
            { value: "true", label: t("users.onlySuspended") },
            { value: "false", label: t("users.notSuspended") },
          ]}
        />
      </search>
      {users.items.length > 0 ? (
        <div className="mod-table-wrap">
          <table className="mod-table" data-testid="admin-users">
            <caption className="visually-hidden">{t("users.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("users.account")}</th>
                <th scope="col">{t("users.roles")}</th>
                <th scope="col">{t("users.channel")}</th>
                <th scope="col" className="mod-num">
                  {t("users.strikes")}
                </th>
                <th scope="col">{t("users.status")}</th>
                <th scope="col">{t("users.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {users.items.map((u) => (
                <UserRow key={u.id} user={u} me={me} onOpen={setDialog} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <UserDialogs
        dialog={dialog}
        onClose={() => setDialog(null)}
        onSaved={(next) => users.setItems((items) => items.map((i) => (i.id === next.id ? next : i)))}
      />
      <ListFooter
        list={users}
        empty={t("users.empty")}
        emptyHint={t("users.emptyHint")}
        more={t("users.more")}
        loadingText={t("users.loading")}
      />
    </section>
  );
}
