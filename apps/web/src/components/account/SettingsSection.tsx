import type { ReactNode } from "react";
import { Form, type FormProps } from "../form/Form";

/**
 * One panel of the account page: what the setting is on one side (a heading and a line about it),
 * its form on the other; stacked on narrow screens.
 */
export function SettingsSection({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="settings-section panel" aria-labelledby={`${id}-title`}>
      <div className="settings-section-about">
        <h2 id={`${id}-title`}>{title}</h2>
        <p className="muted">{description}</p>
      </div>
      <div className="settings-section-body">{children}</div>
    </section>
  );
}

/**
 * One setting's form, named by its (secondary) submit button's text. Once `send` succeeds, `after`
 * clears what should not stay on screen (the passwords) and `success` shows as a status.
 */
export function SettingsForm({
  name,
  send,
  after,
  success,
  ...form
}: Omit<FormProps, "heading" | "submitLabel" | "onSubmit" | "aria-label"> & {
  name: string;
  send: () => Promise<unknown>;
  after: () => void;
  success: () => string;
}) {
  const onSubmit = async () => {
    await send();
    const message = success();
    after();
    return message;
  };
  return (
    <Form
      {...form}
      className="stack settings-form"
      onSubmit={onSubmit}
      aria-label={name}
      submitLabel={name}
      primary={false}
    />
  );
}
