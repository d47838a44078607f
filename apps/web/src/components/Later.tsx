import { type ReactNode, startTransition, useEffect, useState } from "react";

/**
 * Renders `children` one commit after the rest of the page, as a transition: the page's first
 * commit (DOM, style and layout in one go, which React cannot slice) stays small, and what is
 * below the fold follows in its own short tasks. For parts that appear below what the page
 * first shows, so their arrival moves nothing on screen.
 */
export function Later({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState(false);
  useEffect(() => startTransition(() => setShown(true)), []);
  return shown ? children : null;
}
