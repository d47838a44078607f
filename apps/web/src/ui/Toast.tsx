import { CircleCheck, Info, TriangleExclamationPoint, X } from "lucide-react";
import { Toast as RadixToast } from "radix-ui";
import { useTranslation } from "react-i18next";
import { dismissToast, type ShownToast } from "./toastStore";
import "./toast.css";

const ICONS = { success: CircleCheck, danger: TriangleExclamationPoint, warning: TriangleExclamationPoint };

/** The Radix toasts (loaded with the first toast, see Toaster.tsx). Errors are assertive, the rest polite. */
export default function ToastList({ shown }: { shown: ShownToast[] }) {
  const { t } = useTranslation("common");
  return (
    <RadixToast.Provider swipeDirection="right" label={t("toast.label")}>
      {shown.map((item) => {
        const tone = item.tone ?? "neutral";
        const Icon = ICONS[tone as keyof typeof ICONS] ?? Info;
        return (
          <RadixToast.Root
            key={item.id}
            className={`ui-toast ui-tone--${tone}`}
            open={item.open}
            onOpenChange={(open) => (open ? undefined : dismissToast(item.id))}
            duration={item.duration ?? 5000}
            type={tone === "danger" ? "foreground" : "background"}
          >
            <Icon className="ui-toast-icon" aria-hidden="true" />
            <div className="ui-toast-text">
              <RadixToast.Title className="ui-toast-title">{item.title}</RadixToast.Title>
              {item.description ? (
                <RadixToast.Description className="ui-toast-description">
                  {item.description}
                </RadixToast.Description>
              ) : null}
            </div>
            {item.action ? (
              <RadixToast.Action
                className="ui-toast-action"
                altText={item.action.label}
                onClick={item.action.onClick}
              >
                {item.action.label}
              </RadixToast.Action>
            ) : null}
            <RadixToast.Close className="ui-toast-close" aria-label={t("actions.dismiss")}>
              <X aria-hidden="true" />
            </RadixToast.Close>
          </RadixToast.Root>
        );
      })}
      <RadixToast.Viewport className="ui-toast-viewport" label={t("toast.region")} />
    </RadixToast.Provider>
  );
}
