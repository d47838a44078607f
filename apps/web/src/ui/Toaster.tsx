import { lazy, Suspense } from "react";
import { useToasts } from "./toastStore";

// Radix Toast (~10 kB) is loaded with the first toast, not by every page view.
const ToastList = lazy(() => import("./Toast"));

/** Where toasts appear; mounted once (main.tsx). Show one with `toast({ title })`. */
export function Toaster() {
  const shown = useToasts();
  if (shown.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <ToastList shown={shown} />
    </Suspense>
  );
}
