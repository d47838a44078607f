import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Maturity } from "../../api/types";
import { createProfile } from "../../lib/profiles";
import { Button, Dialog, DialogClose, toast } from "../../ui";
import { Form } from "../form/Form";
import { NameAndMaturityFields } from "./ProfileFields";
import { AddProfileTile } from "./ProfileTile";

/** The "Add profile" tile and the dialog it opens: a name and a maturity, then "Create profile". */
export function AddProfileDialog() {
  const { t } = useTranslation(["profiles", "common"]);
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      title={t("add.title")}
      description={t("add.description")}
      size="sm"
      open={open}
      onOpenChange={setOpen}
      trigger={<AddProfileTile />}
    >
      <NewProfileForm onCreated={() => setOpen(false)} />
    </Dialog>
  );
}

/** Mounted while the dialog is open, so it starts empty every time. */
function NewProfileForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation(["profiles", "common"]);
  const [name, setName] = useState("");
  const [maturity, setMaturity] = useState<Maturity>("adult");
  return (
    <Form
      aria-label={t("add.title")}
      submitLabel={t("add.submit")}
      rowClassName="profile-form-actions"
      onSubmit={async () => {
        const created = await createProfile({ name: name.trim(), maturity });
        toast({ title: t("add.created", { name: created.name }), tone: "success" });
        onCreated();
      }}
      actions={
        <DialogClose asChild>
          <Button variant="ghost">{t("common:actions.cancel")}</Button>
        </DialogClose>
      }
    >
      <NameAndMaturityFields name={name} setName={setName} maturity={maturity} setMaturity={setMaturity} />
    </Form>
  );
}
